import { describe, expect, it } from 'vitest';
import { plainAdd } from '../../src/cli/fast-args.js';
import { type Commands, runProgram } from '../../src/cli/program.js';

/** What the full (commander) program parses for `argv`, or `undefined` on a usage error. */
async function parsedByProgram(
  argv: string[],
): Promise<{ file: string; options: Record<string, unknown> } | undefined> {
  let seen: { file: string; options: Record<string, unknown> } | undefined;
  const record = async (file: string, options: Record<string, unknown>): Promise<number> => {
    seen = { file, options: { ...options } };
    return 0;
  };
  const commands = { add: record } as unknown as Commands;
  const stderr = process.stderr.write;
  process.stderr.write = () => true;
  try {
    const code = await runProgram(argv, commands);
    return code === 0 ? seen : undefined;
  } finally {
    process.stderr.write = stderr;
  }
}

const PLAIN: string[][] = [
  ['add', 'in.wasm', '-o', 'out.wasm', '--authors', 'Ana', '--sdk', 'a=1', '--sdk', '=x=y', '--language', 'TS='],
  ['add', '--in-place', 'in.wasm', '--clear-version', '--licenses', 'MIT', '--processed-by', 'tool=2'],
  ['add', 'in.wasm', '--name', '', '--clear-all', '--migrate-legacy', '--clear-producers', '--strict'],
  ['add', 'in.wasm', '--nested', '1.0', '--version', '2.0.0', '--created', '2026-01-01T00:00:00Z', '-o', '-'],
  ['add', '--from', 'package.json', '--from-kind', 'npm', 'in.wasm', '--output=out.wasm'],
  ['add', '-', '--documentation', 'https://d.example', '--vendor', 'V', '--clear-homepage'],
  ['add'],
];

const NOT_PLAIN: string[][] = [
  ['add', 'in.wasm', '--authors', 'a', '--clear-authors'],
  ['add', 'in.wasm', '-o', 'x', '--in-place'],
  ['add', 'in.wasm', '--sdk', 'no-equals'],
  ['add', 'in.wasm', '--nested', 'one'],
  ['add', 'in.wasm', '--from-kind', 'maven'],
  ['add', 'in.wasm', 'extra.wasm'],
  ['add', 'in.wasm', '--bogus'],
  ['add', '--help'],
];

describe('the quick parse of add arguments', () => {
  it.each(PLAIN)('parses %j exactly as the full program does', async (...argv) => {
    const quick = plainAdd(argv);
    expect(quick).toBeDefined();
    expect(quick).toEqual(await parsedByProgram(argv));
  });

  it.each(NOT_PLAIN)('leaves %j to the full program', async (...argv) => {
    expect(plainAdd(argv)).toBeUndefined();
  });
});
