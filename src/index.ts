/**
 * wasm-meta: read and edit the package metadata of WebAssembly modules and components.
 *
 * This entry point is the browser-safe core: it imports no Node.js built-ins. File access
 * lives in `wasm-meta/node`.
 */
export { WasmMetaError, type WasmMetaErrorCode } from './errors.js';
export { LIMITS } from './limits.js';
export {
  binariesOf,
  diagnosticsOf,
  type BinaryKind,
  type ByteRange,
  type ComponentExport,
  type ComponentExternKind,
  type ComponentImport,
  type DependencyList,
  type DependencyPackage,
  type Diagnostic,
  type LegacyMetadata,
  type ModuleExport,
  type ModuleExternKind,
  type ModuleImport,
  type Producers,
  type TextFields,
  type WasmBinary,
} from './metadata.js';
export { readMetadata, readMetadataFrom, type ReadOptions } from './read.js';
export { runAsync, runOnBytes, runSync, type ByteReading, type ByteRequest } from './binary/byte-source.js';
export { SequentialReading } from './binary/sequential-reading.js';
export {
  FIELDS,
  TEXT_FIELDS,
  VALUE_KINDS,
  type FieldName,
  type FieldSpec,
  type TextFieldName,
  type ValueKind,
} from './fields.js';
export { checkFieldValue, checkValue, type CheckedValue } from './values/check.js';
export { serializeDependencies } from './sections/dependencies.js';
export { applyEdit, type EditResult } from './edit/rewrite.js';
export {
  mergeEdits,
  normalizeEdit,
  type EditChange,
  type FieldChange,
  type MetadataEdit,
  type ProducerEntry,
} from './edit/edit.js';
export { joinChunks } from './binary/chunks.js';
export { ByteWriter } from './binary/byte-writer.js';
export {
  checkMetadata,
  CHECK_FIELDS,
  type CheckField,
  type CheckResult,
  type CheckRow,
  type CheckStatus,
} from './check.js';
export { type PackageManifestOptions, type PackageMetadata } from './package-manifest/collector.js';
export {
  PACKAGE_MANIFEST_KINDS,
  packageManifestKindOf,
  parsePackageManifestKind,
  type PackageManifestKind,
} from './package-manifest/kinds.js';
export { mapPyproject } from './package-manifest/pyproject.js';
export { mapCargo, type CargoWorkspace } from './package-manifest/cargo.js';
export { mapWkg, type WkgWorkspace } from './package-manifest/wkg.js';
export { VERSION } from './version.js';
export { parseReference, formatReference, type OciReference } from './oci/reference.js';
export {
  annotationsFor,
  orasAnnotationFile,
  type Annotations,
  type ArtifactAnnotations,
  type ExplicitAnnotations,
} from './oci/annotations.js';
export {
  parseWasmImageManifest,
  serializeConfig,
  serializeImageManifest,
  MEDIA_TYPE,
  type Descriptor,
  type WasmConfig,
  type WasmImageManifest,
} from './oci/artifact.js';
export { digestOf, isDigest, type Sha256, type Sha256Factory } from './oci/digest.js';
export type { Credentials } from './oci/auth.js';
export { RegistryClient, type BodySource, type RegistryClientOptions } from './oci/registry-client.js';
export {
  Repository,
  type BlobDescriptor,
  type FetchedImageManifest,
  type PushedImageManifest,
  type RepositoryOptions,
} from './oci/repository.js';
export {
  parsePackageName,
  resolveOciTarget,
  type CredentialLookup,
  type OciTarget,
  type TargetOptions,
} from './oci/target.js';
export {
  parseWkgConfig,
  parseWkgRegistryLocation,
  type WkgConfig,
  type WkgRegistryLocation,
} from './oci/wkg-config.js';
export {
  buildWasmArtifact,
  inspectWasmArtifact,
  pullWasmArtifact,
  pushWasmArtifact,
  type PulledWasmArtifact,
  type PushedWasmArtifact,
  type WasmArtifact,
  type WasmArtifactInputs,
  type WasmArtifactInspection,
} from './oci/wasm-artifact.js';
