import type { EditChange } from '../edit/edit.js';
import { escapeForTerminal } from '../format/escape.js';
import { quoteValue } from '../values/check.js';

/**
 * The lines `add` prints on standard error about what it changed: one per field, producers
 * value or removed section, then one that says what was written. Each line starts with what it
 * is about (`licenses: set to "MIT"`), as `migrate`'s lines do.
 */

/** One line for one change. */
export function describeChange(change: EditChange): string {
  switch (change.kind) {
    case 'field': {
      const { field, before, after, duplicatesRemoved } = change;
      const copies =
        duplicatesRemoved === 0
          ? ''
          : `; ${duplicatesRemoved} duplicate section${duplicatesRemoved === 1 ? '' : 's'} removed`;
      if (before === after) return `${field}: unchanged (${before === null ? 'absent' : quoteValue(before)})${copies}`;
      if (after === null) return `${field}: removed (was ${quoteValue(before as string)})`;
      if (before === null) return `${field}: set to ${quoteValue(after)}${copies}`;
      return `${field}: changed from ${quoteValue(before)} to ${quoteValue(after)}${copies}`;
    }
    case 'producer': {
      const { field, name, before, after } = change;
      const value = (version: string): string => (version === '' ? name : `${name} ${version}`);
      if (before === null) return `producers: added ${field} ${value(after)}`;
      if (before === after) return `producers: unchanged ${field} ${value(after)}`;
      return `producers: changed ${field} ${name} from ${before === '' ? '(no version)' : before} to ${after === '' ? '(no version)' : after}`;
    }
    case 'section-removed':
      return change.section === 'producers' ? 'producers: removed' : `${change.section}: removed (legacy section)`;
  }
}

/** Where the edited binary went, or would have gone in a dry run. */
export type EditDestination =
  | { kind: 'in-place'; path: string; changed: boolean }
  | { kind: 'file'; path: string }
  | { kind: 'stdout' }
  | { kind: 'none' };

/** The last line: what was written (or, in a dry run, what would have been). */
export function describeDestination(destination: EditDestination, dryRun: boolean): string {
  if (dryRun) {
    switch (destination.kind) {
      case 'in-place':
        return destination.changed
          ? `dry run: nothing written (${destination.path} would be rewritten)`
          : `dry run: nothing written (${destination.path} would stay as it is)`;
      case 'file':
        return `dry run: nothing written (${destination.path} would be written)`;
      case 'stdout':
        return 'dry run: nothing written (the result would go to standard output)';
      case 'none':
        return 'dry run: nothing written';
    }
  }
  switch (destination.kind) {
    case 'in-place':
      return destination.changed ? `wrote ${destination.path}` : `${destination.path}: unchanged, not rewritten`;
    case 'file':
      return `wrote ${destination.path}`;
    case 'stdout':
      return 'wrote the result to standard output';
    case 'none':
      return 'nothing written';
  }
}

/** Prints the report on standard error, control characters escaped. */
export function printEditReport(lines: readonly string[]): void {
  process.stderr.write(lines.map((line) => `${escapeForTerminal(line)}\n`).join(''));
}
