import { type CheckField, type CheckResult, checkMetadata } from '../check.js';
import { escapeForTerminal } from '../format/escape.js';
import { renderTable } from '../format/table.js';
import type { CommandSpec } from './command.js';
import { EXIT } from './exit-codes.js';
import { readInputMetadata } from './input.js';
import { REQUIRE_OPTION, packageManifestFromArgs, packageManifestOptions } from './options.js';
import { writeStdout } from './output.js';
import { report, reportPackageManifest } from './report.js';
import { runCommand } from './run.js';

/**
 * `wasm-meta check`: compares the outermost binary's metadata with a package manifest and
 * required fields, prints a table (or JSON), and exits 1 if anything is missing, different or
 * invalid.
 */
export const command: CommandSpec = {
  name: 'check',
  summary: "Check a binary's metadata against a package manifest and required fields (for CI).",
  description: 'Exits 1 when a required field is missing, a value differs from the manifest, or a section is invalid.',
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
      const rows = result.rows.map((row) => [
        row.required ? `${row.field} (required)` : row.field,
        cell(row.binary),
        cell(row.expected),
        row.status,
      ]);
      const table =
        rows.length === 0
          ? 'no metadata to check\n'
          : `${renderTable(['FIELD', 'BINARY', 'EXPECTED', 'STATUS'], rows, { width: 80 })}\n`;
      await writeStdout(
        `${table}${result.ok ? 'ok' : 'FAILED'}: ${escapeForTerminal(file === '-' ? '<stdin>' : file)}\n`,
      );
    }
    return result.ok ? EXIT.ok : EXIT.badInput;
  },
};

/** Runs `wasm-meta check` with the words after its name. */
export const main = (argv: readonly string[]): Promise<number> => runCommand(command, argv);
