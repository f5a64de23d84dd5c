/**
 * wasm-meta: read and edit the package metadata of WebAssembly modules and components.
 *
 * This entry point is the browser-safe core: it imports no Node.js built-ins. File access
 * lives in `wasm-meta/node`. docs/api.md is generated from these exports and their doc
 * comments (`npm run api-docs`); a `// ## Topic` comment starts a topic there.
 */

// ## Reading
export { readMetadata, readMetadataFrom, type ReadOptions } from './read.js';
export {
  binariesOf,
  diagnosticsOf,
  type WasmBinary,
  type BinaryKind,
  type ByteRange,
  type TextFields,
  type Producers,
  type DependencyList,
  type DependencyPackage,
  type ComponentImport,
  type ComponentExport,
  type ComponentExternKind,
  type ModuleImport,
  type ModuleExport,
  type ModuleExternKind,
  type LegacyMetadata,
  type Diagnostic,
} from './metadata.js';
export { serializeDependencies } from './sections/dependencies.js';
export { runOnBytes, runSync, runAsync, type ByteRequest, type ByteReading } from './binary/byte-source.js';
export { SequentialReading } from './binary/sequential-reading.js';

// ## Errors and limits
export { WasmMetaError, type WasmMetaErrorCode } from './errors.js';
export { LIMITS } from './limits.js';
export { VERSION } from './version.js';

// ## Fields and values
export {
  FIELDS,
  TEXT_FIELDS,
  VALUE_KINDS,
  type FieldName,
  type FieldSpec,
  type TextFieldName,
  type ValueKind,
  type CycloneDxPlace,
} from './fields.js';
export { checkValue, checkFieldValue, type CheckedValue } from './values/check.js';

// ## Editing
export { applyEdit, type EditResult } from './edit/rewrite.js';
export { joinChunks } from './binary/chunks.js';
export {
  normalizeEdit,
  mergeEdits,
  type EditChange,
  type MetadataEdit,
  type FieldChange,
  type ProducerEntry,
} from './edit/edit.js';

// ## Stamping from a package manifest
export {
  addMetadataToBytes,
  type AddMetadataToBytesOptions,
  type AddMetadataToBytesResult,
  type AddMetadataResult,
  type PackageManifestText,
} from './add-metadata.js';
export { mapPackageJson } from './package-manifest/package-json.js';
export { mapCargo } from './package-manifest/cargo.js';
export { mapPyproject } from './package-manifest/pyproject.js';
export { mapWkg } from './package-manifest/wkg.js';
export {
  type PackageMetadata,
  type PackageManifestOptions,
  type WorkspaceMemberOptions,
} from './package-manifest/collector.js';
export {
  PACKAGE_MANIFEST_KINDS,
  packageManifestKindOf,
  parsePackageManifestKind,
  type PackageManifestKind,
} from './package-manifest/kinds.js';

// ## Checking
export {
  checkMetadata,
  CHECK_FIELDS,
  type CheckField,
  type CheckResult,
  type CheckRow,
  type CheckStatus,
} from './check.js';

// ## Annotations
export {
  annotationsFor,
  orasAnnotationFile,
  type AnnotationOptions,
  type Annotations,
  type ArtifactAnnotations,
  type ExplicitAnnotations,
} from './oci/annotations.js';

// ## SBOM
export { buildSbom, CYCLONEDX_MEDIA_TYPE, type SbomInputs, type SbomDocument } from './sbom/cyclonedx.js';
export { hashBinaryRanges, type BinaryHashes } from './sbom/range-hashes.js';

// ## Registries
export { parseReference, formatReference, type OciReference } from './oci/reference.js';
export {
  buildWasmArtifact,
  pushWasmArtifact,
  pullWasmArtifact,
  inspectWasmArtifact,
  type WasmArtifactInputs,
  type WasmArtifact,
  type PushedWasmArtifact,
  type PushWasmArtifactOptions,
  type PulledWasmArtifact,
  type WasmArtifactInspection,
} from './oci/wasm-artifact.js';
export { witPackageExports, mayBeWitPackage } from './sections/wit-package.js';
export {
  Repository,
  type RepositoryOptions,
  type BlobDescriptor,
  type FetchedImageManifest,
  type PushedImageManifest,
  type ReferrersPage,
} from './oci/repository.js';
export {
  attachArtifact,
  attachBlob,
  listReferrers,
  subjectDescriptor,
  buildReferrerManifest,
  serializeReferrersIndex,
  referrersTag,
  checkMediaType,
  EMPTY_JSON,
  type AttachOptions,
  type AttachedArtifact,
  type ListReferrersOptions,
  type ReferrerDescriptor,
  type ReferrerManifest,
  type ReferrerManifestInputs,
  type ReferrersList,
} from './oci/referrers.js';
export { RegistryClient, type RegistryClientOptions, type BodySource } from './oci/registry-client.js';
export type { Transport, TransportRequest } from './oci/transport.js';
export type { Credentials } from './oci/auth.js';
export { digestOf, type Sha256, type Sha256Factory } from './oci/digest.js';
export {
  parseWasmImageManifest,
  MEDIA_TYPE,
  type WasmImageManifest,
  type WasmConfig,
  type Descriptor,
} from './oci/artifact.js';
export {
  resolveOciTarget,
  parsePackageName,
  type OciTarget,
  type TargetOptions,
  type CredentialLookup,
} from './oci/target.js';
export {
  parseWkgConfig,
  parseWkgRegistryLocation,
  type WkgConfig,
  type WkgRegistryLocation,
} from './oci/wkg-config.js';
