import { applyEdit } from '../edit/rewrite.js';
import { escapeForTerminal } from '../format/escape.js';
import { report } from './report.js';
import { readInputBytes } from './input.js';
import { EXIT } from './exit-codes.js';
import { outputTarget, writeOutput, writeStdout } from './output.js';

/**
 * `wasm-meta migrate`: moves the legacy `author` and `registry-metadata` sections into
 * per-field sections and prints what changed. A file with nothing to migrate is not rewritten.
 */
export async function runMigrate(file: string, options: { output?: string; inPlace?: boolean }): Promise<number> {
  try {
    const target = outputTarget(file, options);
    const bytes = await readInputBytes(file);
    const result = applyEdit(bytes, { migrateLegacy: true });
    // The report goes to stderr when the binary goes to stdout.
    const say = (text: string): Promise<unknown> =>
      target.kind === 'stdout' ? Promise.resolve(process.stderr.write(text)) : writeStdout(text);
    const name = file === '-' ? 'the input' : file;
    if (!result.changed) {
      await say(`nothing to migrate: ${escapeForTerminal(name)} has no legacy author or registry-metadata section\n`);
      if (target.kind !== 'in-place') await writeOutput(target, result.chunks);
      return EXIT.ok;
    }
    await writeOutput(target, result.chunks);
    await say(result.migration.map((line) => `${escapeForTerminal(line)}\n`).join(''));
    return EXIT.ok;
  } catch (error) {
    return report(file, error);
  }
}
