import { type CheckField, type CheckResult, checkMetadata } from '../check.js';
import { escapeForTerminal } from '../format/escape.js';
import { renderTable } from '../format/table.js';
import type { CommandSpec } from './command.js';
import { EXIT } from './exit-codes.js';
import { readInputMetadata } from './input.js';
import { REQUIRE_OPTION, packageManifestFromArgs, packageManifestOptions } from './options.js';
import { outputWidth, writeStdout } from './output.js';
import { report, reportPackageManifest } from './report.js';
import { runCommand } from './run.js';

/**
 * `wasm-meta check`: compares the outermost binary's metadata with a package manifest and
 * required fields, prints a table (or JSON) that says why each failing row fails, and exits 3
 * if anything is missing, different or invalid (1 is for input it cannot read).
 */
export const command: CommandSpec = {
  name: 'check',
  summary: "Check a binary's metadata against a package manifest and required fields (for CI).",
  description:
    'Exits 3 when a required field is missing, a value differs from the manifest, or a section is invalid, and 1 when the binary or the manifest cannot be read.',
  arguments: [{ name: 'file', help: 'the .wasm file; - for standard input', default: '-' }],
  options: [
    ...packageManifestOptions('compare with the metadata'),
    REQUIRE_OPTION,
    { name: 'json', help: 'print the result as JSON' },
  ],
  examples: [
    ['check dist/app.wasm --from package.json --require licenses,source,revision', 'what CI runs after a build'],
  ],
  async run(args) {
    const file = args.positionals[0] as string;
    const { from, fromKind } = packageManifestFromArgs(args);
    let result: CheckResult;
    try {
      let expected;
      if (from !== undefined) {
        const { readPackageManifest } = await import('../node/package-manifest.js');
        const manifest = await readPackageManifest(from, fromKind === undefined ? {} : { kind: fromKind });
        reportPackageManifest(manifest);
        expected = manifest.edit;
      }
      const binary = await readInputMetadata(file, {});
      result = checkMetadata(binary, expected, args.value<CheckField[]>('require') ?? []);
    } catch (error) {
      return report(file, error);
    }
    if (args.flag('json')) {
      await writeStdout(JSON.stringify({ file, packageManifest: from ?? null, ok: result.ok, fields: result.rows }));
    } else {
      const cell = (value: string | null): string => (value === null ? '-' : escapeForTerminal(value, true));
      // The expected value shows in the reason of a failing row, and equals the binary's in an ok one.
      const rows = result.rows.map((row) => [
        row.required ? `${row.field} (required)` : row.field,
        cell(row.binary),
        row.reason === null ? row.status : `${row.status}: ${escapeForTerminal(row.reason)}`,
      ]);
      const table =
        rows.length === 0
          ? 'no metadata to check\n'
          : `${renderTable(['FIELD', 'BINARY', 'STATUS'], rows, { width: outputWidth(80), keepWords: true })}\n`;
      await writeStdout(
        `${table}${result.ok ? 'ok' : 'FAILED'}: ${escapeForTerminal(file === '-' ? '<stdin>' : file)}\n`,
      );
    }
    return result.ok ? EXIT.ok : EXIT.mismatch;
  },
};

/** Runs `wasm-meta check` with the words after its name. */
export const main = (argv: readonly string[]): Promise<number> => runCommand(command, argv);
