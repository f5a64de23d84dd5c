/**
 * wasm-meta's Node.js layer: reading WebAssembly files from disk, writing them atomically,
 * importing package manifests (which needs the file system for workspaces and git), and the
 * file and credential-store side of the registry commands (the protocol is in the core).
 */
export { readMetadataFromFile, readMetadataFromFileSync, type ReadStats } from './read-file.js';
export { TEMP_FILE_PATTERN, writeFileAtomic, type AtomicWriteOptions } from './write-file.js';
export { importManifest, type ManifestImport, type ManifestImportOptions } from './manifest.js';
export { addMetadataToFile, type AddMetadataOptions, type AddMetadataResult } from './add-metadata.js';
export { gitHead, type GitHead } from './git-head.js';
export { MANIFEST_KINDS, manifestKindOf, type ManifestKind } from '../manifest/kinds.js';
// package.json's repository normalization uses npm's hosted-git-info, which needs Node's `url`.
export { mapPackageJson } from '../manifest/package-json.js';
export {
  pushFile,
  pullToFile,
  inspectReference,
  type PushOptions,
  type PushResult,
  type PullOptions,
  type PullResult,
  type Inspection,
} from './oci.js';
export { resolveTarget, type RegistryOptions } from './oci-target.js';
export { findCredentials } from './credentials.js';
export { readWkgConfig, wkgConfigPath } from './wkg-config.js';
export { nodeSha256 } from './sha256.js';
