/**
 * wasm-meta's Node.js layer: reading WebAssembly files from disk, writing them atomically,
 * reading package manifests (with the file system for workspaces and git for the revision),
 * and the file and credential-store side of the registry commands (the protocol is in the
 * core). docs/api.md is generated from these exports (`npm run api-docs`).
 */

// ## Reading files
export { readMetadataFromFile, readMetadataFromFileSync, type ReadStats } from './read-file.js';

// ## Writing files
export { writeFileAtomic, writeEditedFile, TEMP_FILE_PATTERN, type AtomicWriteOptions } from './write-file.js';

// ## Stamping from a package manifest
export {
  addMetadataToFile,
  prepareEdit,
  type AddMetadataOptions,
  type EditSources,
  type PreparedEdit,
} from './add-metadata.js';
export {
  readPackageManifest,
  type ReadPackageManifestOptions,
  type PackageManifestMetadata,
} from './package-manifest.js';
export { gitHead, type GitHead } from './git-head.js';

// ## SBOM
export { buildSbomFromFile, type SbomFileOptions } from './sbom.js';

// ## Registries
export {
  pushFile,
  pullToFile,
  inspectReference,
  type PushOptions,
  type PushResult,
  type SbomAttachment,
  type PullOptions,
  type PullResult,
  type Inspection,
} from './oci.js';
export {
  attachFile,
  referrersOf,
  type AttachFileOptions,
  type AttachResult,
  type ReferrersOptions,
  type ReferrersResult,
  type Subject,
} from './attach.js';
export { resolveTarget, type RegistryOptions } from './oci-target.js';
export { findCredentials, type CredentialInputs } from './credentials.js';
export { readWkgConfig, wkgConfigPath } from './wkg-config.js';
export { nodeSha256 } from './sha256.js';
