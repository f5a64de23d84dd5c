/**
 * wasm-meta's Node.js layer: reading WebAssembly files from disk, writing them atomically,
 * importing package manifests (which needs the file system for workspaces and git), and the
 * file and credential-store side of the registry commands (the protocol is in the core).
 */
export { readMetadataFromFile, readMetadataFromFileSync, type ReadStats } from './read-file.js';
export { TEMP_FILE_PATTERN, writeEditedFile, writeFileAtomic, type AtomicWriteOptions } from './write-file.js';
export {
  readPackageManifest,
  type PackageManifestMetadata,
  type ReadPackageManifestOptions,
} from './package-manifest.js';
export {
  addMetadataToFile,
  prepareEdit,
  type AddMetadataOptions,
  type EditSources,
  type PreparedEdit,
} from './add-metadata.js';
export { gitHead, type GitHead } from './git-head.js';
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
