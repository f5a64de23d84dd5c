/**
 * The metadata fields, one row each. Everything field-shaped in wasm-meta derives from this
 * table: the tree's properties and `show --json` keys, the custom-section names, the OCI
 * annotation keys, the value checks, the `add` flags and their help, the rows of `show` and of
 * the web inspector, the fields a package manifest or `check` can name, and where the SBOM puts
 * each field. Adding a text field
 * is adding a row.
 *
 * This module holds data only (no validators, no SPDX list), so that anything may import it.
 */

/** What a value must be. Each kind has one check, in `values/check.ts`. */
export type ValueKind = 'text' | 'spdx' | 'url' | 'date-time';

/** How each kind of value is described to people: in messages, and as the placeholder of its flags. */
export const VALUE_KINDS: Readonly<Record<ValueKind, { expects: string; placeholder: string }>> = {
  text: { expects: 'text', placeholder: 'TEXT' },
  spdx: { expects: 'an SPDX licence expression', placeholder: 'SPDX-EXPRESSION' },
  url: { expects: 'an absolute URL', placeholder: 'URL' },
  'date-time': { expects: 'an RFC 3339 date-time', placeholder: 'RFC3339' },
};

/** The prefix of the OCI pre-defined annotation keys. */
export const OCI_PREFIX = 'org.opencontainers.image.';

/** One metadata field. */
export interface FieldSpec {
  /** The property of a `WasmBinary`, the `show --json` key, the flag (`--key`, `--clear-key`). */
  readonly key: string;
  /**
   * `text`: one custom section named `section` whose data is the raw UTF-8 value.
   * `name`: subsection 0 of the `name` (module) or `component-name` (component) section.
   */
  readonly codec: 'text' | 'name';
  /** The custom section of a `text` field. */
  readonly section?: string;
  readonly value: ValueKind;
  /** The OCI annotation the field fills when a binary is pushed. */
  readonly annotation: string;
  /** Whether wasm-tools 1.257 knows the field: its `show --json` keys come first, in table order. */
  readonly wasmTools: boolean;
  /** Position in the details table of `show` (wasm-tools' row order), after name, kind and range. */
  readonly showRank: number;
  /** Label in the web inspector. */
  readonly label: string;
  /** What the field is, for `--help`. */
  readonly help: string;
  /** The hint under the field in the web inspector's form. */
  readonly hint: string;
  /** The flag's placeholder, when the kind's is not the right word. */
  readonly placeholder?: string;
  /**
   * Where `sbom` puts the field in the binary's CycloneDX component: one of the component's own
   * keys, an external reference of that type, or a property of that name.
   */
  readonly cyclonedx: CycloneDxPlace;
}

/**
 * The field table: one row per metadata field, from which everything field-shaped derives.
 *
 * The fields, in the order `add` appends their sections and `show --json` lists wasm-tools' keys
 * (name, then producers, which is not a plain field, then the text fields).
 */
export const FIELDS = [
  {
    key: 'name',
    codec: 'name',
    value: 'text',
    annotation: `${OCI_PREFIX}title`,
    wasmTools: true,
    showRank: 0,
    label: 'Name',
    help: 'the module or component name',
    hint: 'The module or component name, for example "hello"',
    placeholder: 'NAME',
    cyclonedx: 'component.name',
  },
  {
    key: 'authors',
    codec: 'text',
    section: 'authors',
    value: 'text',
    annotation: `${OCI_PREFIX}authors`,
    wasmTools: true,
    showRank: 2,
    label: 'Authors',
    help: 'the people or organisations that wrote it',
    hint: 'Free text, for example "Ada <ada@example.com>, Bo"',
    cyclonedx: 'component.authors',
  },
  {
    key: 'description',
    codec: 'text',
    section: 'description',
    value: 'text',
    annotation: `${OCI_PREFIX}description`,
    wasmTools: true,
    showRank: 1,
    label: 'Description',
    help: 'what it does, in words',
    hint: 'Free text',
    cyclonedx: 'component.description',
  },
  {
    key: 'licenses',
    codec: 'text',
    section: 'licenses',
    value: 'spdx',
    annotation: `${OCI_PREFIX}licenses`,
    wasmTools: true,
    showRank: 5,
    label: 'Licenses',
    help: 'the licences it is under',
    hint: 'An SPDX expression, for example "MIT OR Apache-2.0"',
    cyclonedx: 'component.licenses',
  },
  {
    key: 'source',
    codec: 'text',
    section: 'source',
    value: 'url',
    annotation: `${OCI_PREFIX}source`,
    wasmTools: true,
    showRank: 6,
    label: 'Source',
    help: 'where its source code is',
    hint: 'An absolute URL of the source code, for example "https://github.com/acme/hello"',
    cyclonedx: 'externalReference.vcs',
  },
  {
    key: 'homepage',
    codec: 'text',
    section: 'homepage',
    value: 'url',
    annotation: `${OCI_PREFIX}url`,
    wasmTools: true,
    showRank: 7,
    label: 'Homepage',
    help: 'where to find out more about it',
    hint: 'An absolute URL',
    cyclonedx: 'externalReference.website',
  },
  {
    key: 'revision',
    codec: 'text',
    section: 'revision',
    value: 'text',
    annotation: `${OCI_PREFIX}revision`,
    wasmTools: true,
    showRank: 4,
    label: 'Revision',
    help: 'the source revision it was built from',
    hint: 'The source revision, for example a git commit',
    cyclonedx: 'property.wasm-meta:revision',
  },
  {
    key: 'version',
    codec: 'text',
    section: 'version',
    value: 'text',
    annotation: `${OCI_PREFIX}version`,
    wasmTools: true,
    showRank: 3,
    label: 'Version',
    help: 'its version',
    hint: 'Free text; SemVer is best for registries',
    placeholder: 'VERSION',
    cyclonedx: 'component.version',
  },
  {
    key: 'documentation',
    codec: 'text',
    section: 'documentation',
    value: 'url',
    annotation: `${OCI_PREFIX}documentation`,
    wasmTools: false,
    showRank: 8,
    label: 'Documentation',
    help: 'where its documentation is',
    hint: 'An absolute URL',
    cyclonedx: 'externalReference.documentation',
  },
  {
    key: 'vendor',
    codec: 'text',
    section: 'vendor',
    value: 'text',
    annotation: `${OCI_PREFIX}vendor`,
    wasmTools: false,
    showRank: 9,
    label: 'Vendor',
    help: 'who distributes it',
    hint: 'Who distributes it',
    cyclonedx: 'component.supplier',
  },
  {
    key: 'created',
    codec: 'text',
    section: 'created',
    value: 'date-time',
    annotation: `${OCI_PREFIX}created`,
    wasmTools: false,
    showRank: 10,
    label: 'Created',
    help: 'when it was built; best left to push, as it makes builds irreproducible',
    hint: 'An RFC 3339 date and time, for example 2026-01-01T00:00:00Z',
    cyclonedx: 'property.wasm-meta:created',
  },
] as const satisfies readonly FieldSpec[];

type FieldRow = (typeof FIELDS)[number];

/** A field's key: `name` or a text field. */
export type FieldName = FieldRow['key'];

/** A text field's key; each is also the name of its custom section. */
export type TextFieldName = Extract<FieldRow, { codec: 'text' }>['key'];

/** A text field of the table. */
export type TextFieldSpec = Extract<FieldRow, { codec: 'text' }>;

/** The text fields, in table order. */
export const TEXT_FIELDS: readonly TextFieldSpec[] = FIELDS.filter(
  (field): field is TextFieldSpec => field.codec === 'text',
);

/** The values of the text fields; `null` where a binary has no valid section. */
export type TextFields = { [Key in TextFieldName]: string | null };

/** Fields that `check` compares and can require: every field, and producers. */
export type CheckField = FieldName | 'producers';

/** The fields `check` knows, in the order of its table. */
export const CHECK_FIELDS: readonly CheckField[] = [...FIELDS.map((field) => field.key), 'producers'];

const byKey: ReadonlyMap<string, FieldRow> = new Map(FIELDS.map((field) => [field.key, field]));

/** The row of a field. */
export function fieldSpec(key: FieldName): FieldSpec {
  return byKey.get(key) as FieldSpec;
}

/** The field with this key, if there is one. */
export function findField(key: string): FieldSpec | undefined {
  return byKey.get(key);
}

/** The OCI annotation a field fills: `annotationOf('homepage')` is `org.opencontainers.image.url`. */
export function annotationOf(key: FieldName): string {
  return fieldSpec(key).annotation;
}

/** The placeholder of a field's flag: `--licenses <SPDX-EXPRESSION>`, `--version <VERSION>`. */
export function placeholderOf(field: FieldSpec): string {
  return field.placeholder ?? VALUE_KINDS[field.value].placeholder;
}

/**
 * A place in a CycloneDX 1.6 component (see {@link FieldSpec.cyclonedx}): one of its keys, an
 * external reference of a type, or a property of a name.
 */
export type CycloneDxPlace =
  | 'component.name'
  | 'component.authors'
  | 'component.description'
  | 'component.licenses'
  | 'component.version'
  | 'component.supplier'
  | 'externalReference.vcs'
  | 'externalReference.website'
  | 'externalReference.documentation'
  | `property.${string}`;
