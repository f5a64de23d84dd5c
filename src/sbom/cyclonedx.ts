import type * as CycloneDx from '@cyclonedx/cyclonedx-library';
import { WasmMetaError } from '../errors.js';
import { type CycloneDxPlace, FIELDS } from '../fields.js';
import { type DependencyPackage, type WasmBinary, binariesWithPaths, formatNestedPath } from '../metadata.js';
import { type Sha256Factory, digestOf } from '../oci/digest.js';
import { checkValue } from '../values/check.js';
import { VERSION } from '../version.js';
import type { BinaryHashes } from './range-hashes.js';
import { uuidFromSha256 } from './serial-number.js';

/** The media type of a CycloneDX JSON document, as OCI referrers carry it. */
export const CYCLONEDX_MEDIA_TYPE = 'application/vnd.cyclonedx+json';

/** What {@link buildSbom} needs. */
export interface SbomInputs {
  /** The file's metadata tree (`readMetadata`, `readMetadataFromFile`). */
  tree: WasmBinary;
  /** The SHA-256 of every binary's byte range (`hashBinaryRanges`). */
  hashes: BinaryHashes;
  /** Hashes the document for its serial number (`nodeSha256` in Node.js). */
  sha256: Sha256Factory;
  /**
   * When the SBOM was made (RFC 3339), written as `metadata.timestamp` in UTC. Without it the
   * document has no timestamp, so that the same file gives the same bytes.
   */
  created?: string;
}

/** A serialized SBOM, ready to be written or attached to an image manifest. */
export interface SbomDocument {
  mediaType: typeof CYCLONEDX_MEDIA_TYPE;
  /** UTF-8 JSON, two-space indented, ending with a newline. */
  bytes: Uint8Array;
  /** The document's `serialNumber` (`urn:uuid:…`), derived from its content. */
  serialNumber: string;
}

/** The namespace of wasm-meta's own CycloneDX property names. */
const PROPERTY_PREFIX = 'wasm-meta:';

type Library = typeof CycloneDx;
type JsonObject = Record<string, unknown>;

/**
 * Builds a CycloneDX 1.6 JSON SBOM of a module or component from its own metadata.
 *
 * It is made with the CycloneDX project's library, which is loaded on the first call, not with
 * wasm-meta. The root binary is `metadata.component` (an application) with the file's SHA-256; each
 * nested binary is a sub-component (a library) with the SHA-256 of its byte range and its
 * `--nested` path in the `wasm-meta:nested` property. The metadata fields go where the field
 * table's `cyclonedx` column says; producers are `metadata.tools` components, after wasm-meta
 * itself; the crates of `.dep-v0` sections are components with `pkg:cargo` purls and their
 * dependency graph. Deterministic: lists in file order, no timestamp unless `created` is given,
 * and a serial number that is a UUID of the document's own SHA-256 (see docs/cli.md#sbom).
 */
export async function buildSbom(inputs: SbomInputs): Promise<SbomDocument> {
  const created = inputs.created === undefined ? undefined : canonicalTimestamp(inputs.created);
  const cdx = await loadLibrary();
  const { bom, authors } = bomOf(cdx, inputs);
  const factory = new cdx.Serialize.JSON.Normalize.Factory(cdx.Spec.Spec1dot6);
  // File order, not the library's sorting (whose order depends on the locale): stable anywhere.
  const document = factory.makeForBom().normalize(bom, { sortLists: false }) as unknown as JsonObject;
  const metadata = document['metadata'] as JsonObject;
  metadata['timestamp'] = created;
  addAuthors(metadata['component'] as JsonObject, authors);
  const withoutSerial = new TextEncoder().encode(`${JSON.stringify(document, null, 2)}\n`);
  const serialNumber = `urn:uuid:${uuidFromSha256(digestOf(inputs.sha256, withoutSerial).slice('sha256:'.length))}`;
  document['serialNumber'] = serialNumber;
  const bytes = new TextEncoder().encode(`${JSON.stringify(document, null, 2)}\n`);
  return { mediaType: CYCLONEDX_MEDIA_TYPE, bytes, serialNumber };
}

/**
 * The library's Node.js build, or its web build in a browser bundle; a CommonJS module either way.
 * Why a dependency: the CycloneDX project's own models and JSON normalizer follow the spec's
 * versions, and its validator (a test-only use, with ajv) checks what they give. It has no
 * dependencies of its own; it is loaded here only, and costs some 50 to 75 ms.
 */
async function loadLibrary(): Promise<Library> {
  const loaded = (await import('@cyclonedx/cyclonedx-library')) as Library & { default?: Library };
  return loaded.default ?? loaded;
}

/** `created` as `YYYY-MM-DDTHH:MM:SS[.fff]Z`. */
function canonicalTimestamp(created: string): string {
  const checked = checkValue('date-time', created);
  if (typeof checked !== 'string') throw new WasmMetaError('invalid-edit', `created: ${checked.problem}`);
  const date = new Date(created);
  if (Number.isNaN(date.getTime()))
    throw new WasmMetaError('invalid-edit', `created: ${JSON.stringify(created)} is out of range`);
  return date.toISOString().replace(/\.000Z$/, 'Z');
}

/**
 * The library's model of the SBOM, and the authors of each component by bom-ref (CycloneDX
 * 1.6's component `authors`, which the library's model lacks, are added to the JSON).
 */
function bomOf(cdx: Library, inputs: SbomInputs): { bom: CycloneDx.Models.Bom; authors: Map<string, string> } {
  const { Models, Enums } = cdx;
  const bom = new Models.Bom();
  const authors = new Map<string, string>();
  const crates = new CrateComponents(cdx, bom);
  const tools = new Map<string, CycloneDx.Models.Component>();
  tools.set('', new Models.Component(Enums.ComponentType.Application, 'wasm-meta', { version: VERSION }));
  const components = new Map<WasmBinary, CycloneDx.Models.Component>();
  let unknown = 0;
  for (const [binary, path] of binariesWithPaths(inputs.tree)) {
    const nested = formatNestedPath(path);
    const bomRef = nested === null ? 'root' : `nested:${nested}`;
    // Unnamed binaries are named as `show` names them.
    const name = binary.name ?? `unknown(${unknown++})`;
    const type = nested === null ? Enums.ComponentType.Application : Enums.ComponentType.Library;
    const component = new Models.Component(type, name, { bomRef });
    const hash = inputs.hashes.get(binary);
    if (hash === undefined) throw new Error(`no hash for the binary at ${binary.range.start}: hash this tree's ranges`);
    component.hashes.set(Enums.HashAlgorithm['SHA-256'], hash);
    for (const field of FIELDS) {
      const value = binary[field.key];
      if (value !== null) place(cdx, component, field.cyclonedx, value, authors);
    }
    component.properties.add(new Models.Property(`${PROPERTY_PREFIX}kind`, binary.kind));
    if (nested !== null) component.properties.add(new Models.Property(`${PROPERTY_PREFIX}nested`, nested));
    addProducers(cdx, tools, binary);
    if (binary.dependencies !== null) crates.add(component, binary.dependencies.packages);
    components.set(binary, component);
    if (nested === null) bom.metadata.component = component;
    else components.get(parentOf(inputs.tree, path))?.components.add(component);
  }
  for (const tool of tools.values()) bom.metadata.tools.components.add(tool);
  return { bom, authors };
}

/** Adds the producers of `binary` that `tools` (by field, name and version) does not have yet. */
function addProducers(cdx: Library, tools: Map<string, CycloneDx.Models.Component>, binary: WasmBinary): void {
  const { Models, Enums } = cdx;
  for (const [field, values] of binary.producers ?? []) {
    for (const [tool, version] of values) {
      const key = JSON.stringify([field, tool, version]);
      if (tools.has(key)) continue;
      const producer = new Models.Component(Enums.ComponentType.Application, tool, {
        ...(version === '' ? {} : { version }),
      });
      producer.properties.add(new Models.Property(`${PROPERTY_PREFIX}producer`, field));
      tools.set(key, producer);
    }
  }
}

/** Puts a field's value where the field table says, in `component` (its authors in `authors`). */
function place(
  cdx: Library,
  component: CycloneDx.Models.Component,
  where: CycloneDxPlace,
  value: string,
  authors: Map<string, string>,
): void {
  const { Models, Enums } = cdx;
  const reference = (type: CycloneDx.Enums.ExternalReferenceType) =>
    component.externalReferences.add(new Models.ExternalReference(value, type));
  switch (where) {
    case 'component.name':
      component.name = value;
      return;
    case 'component.version':
      component.version = value;
      return;
    case 'component.description':
      component.description = value;
      return;
    case 'component.licenses':
      component.licenses.add(new Models.LicenseExpression(value));
      return;
    case 'component.supplier':
      component.supplier = new Models.OrganizationalEntity({ name: value });
      return;
    case 'component.authors':
      authors.set(component.bomRef.value as string, value);
      return;
    case 'externalReference.vcs':
      reference(Enums.ExternalReferenceType.VCS);
      return;
    case 'externalReference.website':
      reference(Enums.ExternalReferenceType.Website);
      return;
    case 'externalReference.documentation':
      reference(Enums.ExternalReferenceType.Documentation);
      return;
    default:
      component.properties.add(new Models.Property(where.slice('property.'.length), value));
  }
}

/** The binary that holds the one at `path` (a path of at least one index). */
function parentOf(tree: WasmBinary, path: readonly number[]): WasmBinary {
  let binary = tree;
  for (const index of path.slice(0, -1)) binary = binary.children[index] as WasmBinary;
  return binary;
}

/**
 * The crates of the `.dep-v0` sections, one component per name, version and source, whatever
 * binary lists them; each binary depends on its root crate, each crate on its dependencies.
 */
class CrateComponents {
  private readonly byKey = new Map<string, CycloneDx.Models.Component>();
  private readonly usedRefs = new Set<string>();

  constructor(
    private readonly cdx: Library,
    private readonly bom: CycloneDx.Models.Bom,
  ) {}

  add(binary: CycloneDx.Models.Component, packages: readonly DependencyPackage[]): void {
    const components = packages.map((crate) => this.componentOf(crate));
    packages.forEach((crate, index) => {
      const component = components[index] as CycloneDx.Models.Component;
      for (const dependency of crate.dependencies)
        component.dependencies.add((components[dependency] as CycloneDx.Models.Component).bomRef);
    });
    // cargo-auditable marks the crate the binary was built from; failing that, the crates nothing depends on.
    const depended = new Set(packages.flatMap((crate) => crate.dependencies));
    const marked = packages.some((crate) => crate.root);
    packages.forEach((crate, index) => {
      if (marked ? crate.root : !depended.has(index))
        binary.dependencies.add((components[index] as CycloneDx.Models.Component).bomRef);
    });
  }

  private componentOf(crate: DependencyPackage): CycloneDx.Models.Component {
    const key = JSON.stringify([crate.name, crate.version, crate.source]);
    const known = this.byKey.get(key);
    if (known !== undefined) return known;
    const { Models, Enums } = this.cdx;
    const purl = `pkg:cargo/${encodeURIComponent(crate.name)}@${encodeURIComponent(crate.version)}`;
    // The same name and version from two sources: one purl, two components.
    let bomRef = purl;
    for (let n = 2; this.usedRefs.has(bomRef); n++) bomRef = `${purl}#${n}`;
    this.usedRefs.add(bomRef);
    const component = new Models.Component(Enums.ComponentType.Library, crate.name, {
      bomRef,
      version: crate.version,
      purl,
      // Build dependencies (build scripts, proc macros) are not in the binary.
      scope: crate.kind === 'build' ? Enums.ComponentScope.Excluded : Enums.ComponentScope.Required,
    });
    component.properties.add(new Models.Property(`${PROPERTY_PREFIX}cargo-source`, crate.source));
    this.byKey.set(key, component);
    this.bom.components.add(component);
    return component;
  }
}

/** Adds `authors` (one contact named with the field's free text) to each component that has them. */
function addAuthors(component: JsonObject, authors: ReadonlyMap<string, string>): void {
  const name = authors.get(component['bom-ref'] as string);
  if (name !== undefined) {
    // After `supplier`, as the schema lists it; the rest keeps its order.
    const entries = Object.entries(component);
    const at = entries.findIndex(([key]) => key === 'supplier') + 1;
    entries.splice(at, 0, ['authors', [{ name }]]);
    for (const key of Object.keys(component)) delete component[key];
    Object.assign(component, Object.fromEntries(entries));
  }
  for (const child of (component['components'] as JsonObject[] | undefined) ?? []) addAuthors(child, authors);
}
