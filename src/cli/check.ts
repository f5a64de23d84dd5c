import { type CheckField, type CheckResult, checkMetadata } from '../check.js';
import { escapeForTerminal } from '../format/escape.js';
import { renderTable } from '../format/table.js';
import type { CommandSpec } from './command.js';
import type { MetadataEdit } from '../edit/edit.js';
import { EXIT } from './exit-codes.js';
import { readInputMetadata } from './input.js';
import { inputFiles } from './input-files.js';
import { processFile, summaryGroup, worstExit } from './many-files.js';
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
    'Exits 3 when a required field is missing, a value differs from the manifest, or a section is invalid, and 1 when the binary or the manifest cannot be read. Several files are each checked against the manifest, read once, under their names; the exit status is the worst: 1 if a file cannot be read, else 3 if one fails.',
  arguments: [
    { name: 'file', help: 'the .wasm files or glob patterns; - for standard input', default: '-', variadic: true },
  ],
  options: [
    ...packageManifestOptions('compare with the metadata'),
    REQUIRE_OPTION,
    { name: 'json', help: 'print the result as JSON' },
  ],
  examples: [
    ['check dist/app.wasm --from package.json --require licenses,source,revision', 'what CI runs after a build'],
    ['check --from package.json --require licenses dist/*.wasm', 'check every .wasm file in dist/: a table for each'],
  ],
  async run(args) {
    const files = await inputFiles(args.positionals);
    const { from, fromKind } = packageManifestFromArgs(args);
    let expected: MetadataEdit | undefined;
    try {
      if (from !== undefined) {
        const { readPackageManifest } = await import('../node/package-manifest.js');
        const manifest = await readPackageManifest(from, fromKind === undefined ? {} : { kind: fromKind });
        reportPackageManifest(manifest);
        expected = manifest.edit;
      }
    } catch (error) {
      return report(files.length === 1 ? files[0] : undefined, error);
    }
    const check = async (file: string): Promise<CheckResult> =>
      checkMetadata(await readInputMetadata(file, {}), expected, args.value<CheckField[]>('require') ?? []);
    const json = args.flag('json');
    const packageManifest = from ?? null;
    if (files.length > 1) return checkMany(files, check, { json, packageManifest });
    const file = files[0] as string;
    let result: CheckResult;
    try {
      result = await check(file);
    } catch (error) {
      return report(file, error);
    }
    await writeStdout(json ? JSON.stringify(jsonOf(file, packageManifest, result)) : textOf(file, result));
    return result.ok ? EXIT.ok : EXIT.mismatch;
  },
};

/**
 * `check` with several files: the manifest read once, then one table per file under its name
 * (or one JSON array), a file that cannot be read reported and the others still checked, then
 * a summary line; the exit status is the worst of the files'.
 */
async function checkMany(
  files: readonly string[],
  check: (file: string) => Promise<CheckResult>,
  { json, packageManifest }: { json: boolean; packageManifest: string | null },
): Promise<number> {
  const documents: object[] = [];
  const groups: Record<'ok' | 'FAILED' | 'unreadable', string[]> = { ok: [], FAILED: [], unreadable: [] };
  const codes: number[] = [];
  for (const [i, file] of files.entries()) {
    if (!json) await writeStdout(`${i === 0 ? '' : '\n'}${escapeForTerminal(file)}:\n`);
    let result: CheckResult | undefined;
    const { exit, error } = await processFile(file, async () => {
      result = await check(file);
      return result.ok ? EXIT.ok : EXIT.mismatch;
    });
    codes.push(exit);
    if (result === undefined) {
      groups.unreadable.push(file);
      if (json) documents.push({ file, packageManifest, ok: false, error: error ?? null, fields: [] });
      else await writeStdout(`unreadable: ${escapeForTerminal(file)}\n`);
      continue;
    }
    groups[result.ok ? 'ok' : 'FAILED'].push(file);
    if (json) documents.push(jsonOf(file, packageManifest, result));
    else await writeStdout(textOf(file, result));
  }
  if (json) {
    await writeStdout(JSON.stringify(documents));
  } else {
    const summary = (['ok', 'FAILED', 'unreadable'] as const).flatMap((label) =>
      summaryGroup(
        label,
        groups[label].map((file) => escapeForTerminal(file)),
      ),
    );
    await writeStdout(`\n${files.length} files: ${summary.join(', ')}\n`);
  }
  return worstExit(codes);
}

/** The JSON document of one file's check. */
function jsonOf(file: string, packageManifest: string | null, result: CheckResult): object {
  return { file, packageManifest, ok: result.ok, fields: result.rows };
}

/** One file's table, then `ok: <file>` or `FAILED: <file>`. */
function textOf(file: string, result: CheckResult): string {
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
  return `${table}${result.ok ? 'ok' : 'FAILED'}: ${escapeForTerminal(file === '-' ? '<stdin>' : file)}\n`;
}

/** Runs `wasm-meta check` with the words after its name. */
export const main = (argv: readonly string[]): Promise<number> => runCommand(command, argv);
