import type { MetadataEdit } from './edit/edit.js';
import { CHECK_FIELDS, type CheckField, findField } from './fields.js';
import type { WasmBinary } from './metadata.js';
import { COMPONENT_NAME_SECTION, NAME_SECTION } from './sections/names.js';
import { PRODUCERS_SECTION } from './sections/producers.js';

export { CHECK_FIELDS, type CheckField } from './fields.js';

/**
 * How a field compares with what was expected and required.
 *
 * How a field compares: `ok` (present, and equal to the expected value if there is one),
 * `missing` (required or expected, but not in the binary), `differs` (not the expected
 * value), `invalid` (the binary's section fails validation), `absent` (neither required nor
 * expected, and not in the binary: not a problem).
 */
export type CheckStatus = 'ok' | 'missing' | 'differs' | 'invalid' | 'absent';

/** One row of a check: the field, its value in the binary, the value expected, and the verdict. */
export interface CheckRow {
  field: CheckField;
  binary: string | null;
  /** The value expected (from a package manifest), or `null` for none. */
  expected: string | null;
  required: boolean;
  status: CheckStatus;
  /**
   * Why a row fails, `null` for `ok`: `required` (and missing),
   * `expected "X", found none`, `expected "X", found "Y"` (quoted as JSON, so that a
   * difference in spaces shows), or for `invalid` the check's own message and where the
   * section is.
   */
  reason: string | null;
}

/** The outcome of {@link checkMetadata}. */
export interface CheckResult {
  /** False if any row is `missing`, `differs` or `invalid`. */
  ok: boolean;
  rows: CheckRow[];
}

/**
 * Compares a binary's metadata with expected values and required fields, as `wasm-meta check` does.
 *
 * Checks a binary's metadata for CI: every required field must be present and valid, every
 * value `expected` gives (typically what a package manifest says) must be the binary's, and
 * no metadata section may be invalid. Rows are returned for fields that are required,
 * expected, or in the binary.
 */
export function checkMetadata(
  binary: WasmBinary,
  expected: MetadataEdit | undefined,
  required: readonly CheckField[] = [],
): CheckResult {
  const rows: CheckRow[] = [];
  for (const field of CHECK_FIELDS) {
    const value = valueOf(binary, field);
    const given = field === 'producers' ? undefined : expected?.[field];
    const wanted = typeof given === 'string' ? given : null;
    const isRequired = required.includes(field);
    const invalid = binary.diagnostics.find((d) => sectionsOf(field).includes(d.section));
    const row = { field, binary: value, expected: wanted, required: isRequired };
    if (invalid !== undefined) {
      const where = `the ${invalid.section} section at 0x${invalid.offset.toString(16)}`;
      rows.push({ ...row, status: 'invalid', reason: `${invalid.message} (${where})` });
    } else if (value === null) {
      if (wanted !== null) rows.push({ ...row, status: 'missing', reason: `expected ${quote(wanted)}, found none` });
      else if (isRequired) rows.push({ ...row, status: 'missing', reason: 'required' });
    } else if (wanted !== null && wanted !== value) {
      rows.push({ ...row, status: 'differs', reason: `expected ${quote(wanted)}, found ${quote(value)}` });
    } else {
      rows.push({ ...row, status: 'ok', reason: null });
    }
  }
  return { ok: rows.every((row) => row.status === 'ok'), rows };
}

const quote = (value: string): string => JSON.stringify(value);

function sectionsOf(field: CheckField): string[] {
  if (field === 'producers') return [PRODUCERS_SECTION];
  const spec = findField(field);
  return spec?.section === undefined ? [NAME_SECTION, COMPONENT_NAME_SECTION] : [spec.section];
}

function valueOf(binary: WasmBinary, field: CheckField): string | null {
  if (field === 'producers') {
    if (binary.producers === null || binary.producers.size === 0) return null;
    return Array.from(
      binary.producers,
      ([name, values]) =>
        `${name}: ${Array.from(values, ([tool, version]) => (version === '' ? tool : `${tool} ${version}`)).join(', ')}`,
    ).join('; ');
  }
  return binary[field];
}
