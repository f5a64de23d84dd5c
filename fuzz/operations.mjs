// What the fuzzer does with each input: read it (lenient and strict), render it, derive the OCI
// annotations, check it, and edit it four ways, then read every edit back. The library may
// answer with a result or a WasmMetaError; anything else, or an edit that does not read back as
// what was written, is a failure.
import {
  CHECK_FIELDS,
  FIELDS,
  TEXT_FIELDS,
  annotationsFor,
  applyEdit,
  checkMetadata,
  WasmMetaError,
  joinChunks,
  readMetadata,
} from '../dist/index.js';
import { renderShowJson } from '../dist/format/show-json.js';
import { renderShowTables } from '../dist/format/show-table.js';

/** A broken invariant: the library answered, but wrongly. */
export class InvariantError extends Error {
  name = 'InvariantError';
}

/** A valid value of each kind (stored as given: the URL is already serialized). */
const EXAMPLE_VALUE = {
  text: 'edited by the fuzzer',
  spdx: 'MIT OR Apache-2.0',
  url: 'https://example.com/fuzz',
  'date-time': '2026-01-01T00:00:00Z',
};

/** An edit that sets every field of the field table, and a producers entry. */
const FULL_EDIT = {
  ...Object.fromEntries(FIELDS.map((field) => [field.key, EXAMPLE_VALUE[field.value]])),
  producers: [{ field: 'processed-by', name: 'fuzz', version: '1' }],
};
const TEXT_FIELD_KEYS = TEXT_FIELDS.map((field) => field.key);

/**
 * Runs every operation on `bytes`. Returns the names of the operations that ended in a
 * `WasmMetaError` (a clear error is a fine answer). Throws, with the operation's name in
 * `operation`, for any other exception or a broken invariant.
 */
export function runOperations(bytes) {
  const typed = [];
  const step = (operation, f) => {
    try {
      return f();
    } catch (error) {
      if (error instanceof WasmMetaError) {
        typed.push(`${operation}: ${error.code}`);
        return undefined;
      }
      if (error && typeof error === 'object') error.operation = operation;
      throw error;
    }
  };
  const expect = (condition, message) => {
    if (!condition) throw new InvariantError(message);
  };

  const tree = step('read', () => readMetadata(bytes));
  step('read --strict', () => readMetadata(bytes, { strict: true }));
  if (tree !== undefined) {
    step('show', () => renderShowTables(tree));
    step('show --paths', () => renderShowTables(tree, { paths: true }));
    step('show --json', () => JSON.parse(renderShowJson(tree)));
    step('annotations', () => annotationsFor(tree, { layerTitle: 'fuzz.wasm', tag: '1.0.0' }));
    step('check', () => checkMetadata(tree, undefined, CHECK_FIELDS));
  }

  // Edits of a file that reads must read back; the library must never write a broken file.
  const readBack = (operation, result) => {
    const out = joinChunks(result.chunks);
    expect(out.length === result.length, `${operation}: the chunks add up to ${out.length}, not ${result.length}`);
    try {
      return readMetadata(out);
    } catch (error) {
      throw new InvariantError(`${operation}: the output does not read back: ${error.message}`);
    }
  };

  const full = step('add', () => applyEdit(bytes, FULL_EDIT));
  expect(full === undefined || tree !== undefined, 'add: an edit accepted a file that reading rejects');
  if (full !== undefined && tree !== undefined) {
    step('add', () => {
      const after = readBack('add', full);
      expect(after.name === FULL_EDIT.name, `add: the name reads back as ${after.name}`);
      for (const field of TEXT_FIELD_KEYS) {
        expect(after[field] === FULL_EDIT[field], `add: ${field} reads back as ${JSON.stringify(after[field])}`);
      }
      expect(after.producers?.get('processed-by')?.get('fuzz') === '1', 'add: the producers entry is missing');
      expect(after.children.length === tree.children.length, 'add: the number of children changed');
      const out = joinChunks(full.chunks);
      after.children.forEach((child, i) => {
        const before = tree.children[i];
        const same = bytesEqual(
          out.subarray(child.range.start, child.range.end),
          bytes.subarray(before.range.start, before.range.end),
        );
        expect(same, `add: nested binary ${i} is not byte-identical`);
      });
    });
  }

  if (tree !== undefined && tree.children.length > 0) {
    const nested = step('add --nested 0', () => applyEdit(bytes, { nested: [0], description: 'nested' }));
    if (nested !== undefined) {
      const after = readBack('add --nested 0', nested);
      expect(after.children[0]?.description === 'nested', 'add --nested 0: the description reads back wrong');
      expect(after.description === tree.description, 'add --nested 0: the outer description changed');
    }
  }

  const cleared = step('add --clear-all', () => applyEdit(bytes, { clearAll: true }));
  if (cleared !== undefined && tree !== undefined) {
    const after = readBack('add --clear-all', cleared);
    for (const field of [...TEXT_FIELD_KEYS, 'name', 'producers']) {
      expect(after[field] === null, `add --clear-all: ${field} is still ${String(after[field])}`);
    }
  }

  const migrated = step('migrate', () => applyEdit(bytes, { migrateLegacy: true }));
  if (migrated !== undefined && tree !== undefined) {
    const after = readBack('migrate', migrated);
    expect(after.legacy === null, 'migrate: legacy sections are left in the outermost binary');
  }
  return typed;
}

function bytesEqual(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
