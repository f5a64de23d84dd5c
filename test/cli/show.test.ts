import { closeSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { HAS_SHARED, SHARED_DIR, sharedAvailable } from '../support/shared.js';
import { binariesOf } from '../../src/metadata.js';
import { readMetadata } from '../../src/read.js';
import { renderShowTables as renderInMemory } from '../support/oracle/show-table.js';
import {
  COMPONENT_HEADER,
  MODULE_HEADER,
  custom,
  module,
  nameSubsection,
  nested,
  producersData,
} from '../support/wasm.js';

const scratch = mkdtempSync(join(tmpdir(), 'wasm-meta-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function write(name: string, bytes: number[]): string {
  const path = join(scratch, name);
  writeFileSync(path, Uint8Array.from(bytes));
  return path;
}

const goodBytes = module(
  custom('name', nameSubsection('foo')),
  custom('producers', producersData([['language', [['bar', '1']]]])),
  custom('licenses', 'MIT'),
);
const good = write('good.wasm', goodBytes);
const licensesAt = 8 + custom('authors', 'ok').length;
const invalid = write('invalid.wasm', module(custom('authors', 'ok'), custom('licenses', 'MIT/Apache-2.0')));
const truncated = write('truncated.wasm', module(custom('authors', 'someone')).slice(0, -2));

describe('wasm-meta show', () => {
  it('prints the tables and exits 0', () => {
    const result = runCli(['show', good]);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(`│ module ┆ foo  ┆  ${goodBytes.length}B ┆  100% ┆ bar       ┆ <root> │`);
    expect(result.stdout).toContain('│ licenses ┆ MIT       │');
    expect(result.stdout.endsWith('╯\n')).toBe(true);
  });

  it.runIf(sharedAvailable('the CLI reference comparison'))('prints the reference output byte for byte', () => {
    const file = join(SHARED_DIR, 'reference', 'metadata-component.wasm');
    const result = runCli(['show', file]);
    expect(result.stdout).toBe(readFileSync(join(SHARED_DIR, 'reference', 'metadata-component.wat.stdout'), 'utf8'));
  });

  it('prints compact JSON without a trailing newline', () => {
    const result = runCli(['show', '--json', good]);
    expect(result.status).toBe(0);
    expect(result.stdout.endsWith('}')).toBe(true);
    const json = JSON.parse(result.stdout);
    expect(json.module.name).toBe('foo');
    expect(json.module.producers).toEqual([['language', { bar: '1' }]]);
    expect(json.module.range).toEqual({ start: 0, end: goodBytes.length });
    expect(json.module.diagnostics).toEqual([]);
  });

  it('reads standard input from a pipe and from a redirected file', () => {
    const expected = runCli(['show', good]).stdout;
    expect(runCli(['show', '-'], { input: readFileSync(good) }).stdout).toBe(expected);
    expect(runCli(['show'], { input: readFileSync(good) }).stdout).toBe(expected);
    const fd = openSync(good, 'r');
    try {
      expect(runCli(['show', '-'], { stdio: [fd, 'pipe', 'pipe'] }).stdout).toBe(expected);
    } finally {
      closeSync(fd);
    }
  });

  it('warns about invalid metadata on stderr and still shows the rest', () => {
    const result = runCli(['show', invalid]);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe(
      `warning: 0x${licensesAt.toString(16)}: licenses: "MIT/Apache-2.0" is not an SPDX licence expression: \`MIT/Apache-2.0\`: \`/\` is not an operator, use OR\n`,
    );
    expect(result.stdout).toContain('│ authors ┆ ok');
    expect(result.stdout).not.toContain('licenses');
    const json = JSON.parse(runCli(['show', '--json', invalid]).stdout);
    expect(json.module.licenses).toBeNull();
    expect(json.module.diagnostics).toEqual([
      { offset: licensesAt, section: 'licenses', message: expect.stringMatching(/is not an SPDX licence expression/) },
    ]);
  });

  it('fails with exit 1 and no output on invalid metadata with --strict', () => {
    const result = runCli(['show', '--strict', invalid]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `wasm-meta: error: ${invalid}: invalid \`licenses\` section: "MIT/Apache-2.0" is not an SPDX licence expression: \`MIT/Apache-2.0\`: \`/\` is not an operator, use OR at byte offset ${licensesAt} (0x${licensesAt.toString(16)})\n`,
    );
  });

  it('exits 1 naming the file and byte offset for a malformed binary', () => {
    const result = runCli(['show', truncated]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      new RegExp(
        `^wasm-meta: error: ${truncated}: section 0 of \\d+ bytes runs past the end of its module .* at byte offset 8 \\(0x8\\)\\n$`,
      ),
    );
  });

  it('exits 1 for a file that does not exist and for input that is not WebAssembly', () => {
    const missing = runCli(['show', join(scratch, 'nope.wasm')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('nope.wasm: no such file');
    const text = runCli(['show', '-'], { input: Buffer.from('hello world') });
    expect(text.status).toBe(1);
    expect(text.stderr).toContain('<stdin>: not a WebAssembly binary');
  });

  it('exits 2 for usage errors', () => {
    expect(runCli(['show', '--bogus', good]).status).toBe(2);
    expect(runCli(['frobnicate']).status).toBe(2);
    expect(runCli(['show', good, 'extra']).status).toBe(2);
    expect(runCli([]).status).toBe(2);
  });

  it('exits 0 for --help and --version', () => {
    const help = runCli(['show', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--strict');
    expect(runCli(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('streams the tables of 10 000 modules as the in-memory renderer laid them out, with and without --paths', () => {
    const child = nested([...MODULE_HEADER, ...custom('producers', producersData([['language', [['C11', '']]]]))]);
    const bytes = [...COMPONENT_HEADER];
    for (let i = 0; i < 10_000; i++) bytes.push(...child);
    const path = write('ten-thousand.wasm', bytes);
    const tree = readMetadata(Uint8Array.from(bytes));
    for (const paths of [false, true]) {
      const result = runCli(['show', ...(paths ? ['--paths'] : []), path]);
      expect(result.status).toBe(0);
      expect(result.stdout).toBe(renderInMemory(tree, { paths }));
    }
  });

  it('escapes control characters from the file instead of sending them to the terminal', () => {
    const path = write('escape.wasm', module(custom('description', 'red \u001b[31malert')));
    const result = runCli(['show', path]);
    expect(result.stdout).toContain('red \\u{1b}[31malert');
    expect(result.stdout).not.toContain('\u001b');
    expect(JSON.parse(runCli(['show', '--json', path]).stdout).module.description).toBe('red \u001b[31malert');
  });
});

describe.runIf(sharedAvailable('the CLI corpus run'))('wasm-meta show on every corpus file', () => {
  const corpus = join(SHARED_DIR, 'corpus');
  const files = HAS_SHARED ? readdirSync(corpus).filter((f) => f.endsWith('.wasm')) : [];

  it.each(files)('%s: tables and JSON, exit 0, no warnings', (file) => {
    const path = join(corpus, file);
    const table = runCli(['show', path]);
    expect(table.status).toBe(0);
    expect(table.stderr).toBe('');
    const json = runCli(['show', '--json', path]);
    expect(json.status).toBe(0);
    const parsed = JSON.parse(json.stdout);
    const root = parsed.module ?? parsed.component.metadata;
    expect(root.range).toEqual({ start: 0, end: statSync(path).size });
    // One summary row and one details table per binary.
    const count = (node: { component?: { children: unknown[] } }): number =>
      1 + (node.component?.children ?? []).reduce((sum: number, child) => sum + count(child as typeof node), 0);
    const lines = table.stdout.split('\n');
    const summaryEnd = lines.findIndex((line) => line.startsWith('╰'));
    expect(lines.slice(0, summaryEnd).filter((line) => /^│ (module|component) /.test(line))).toHaveLength(
      count(parsed),
    );
    expect(lines.filter((line) => line.startsWith('╭'))).toHaveLength(count(parsed) + 1);
  });
});

describe.runIf(sharedAvailable('the --nested paths of corpus components'))('wasm-meta show --paths', () => {
  const corpus = join(SHARED_DIR, 'corpus');
  const components = HAS_SHARED
    ? readdirSync(corpus).filter((f) => f.startsWith('component-') && f.endsWith('.wasm'))
    : [];

  /** The cells of the first line of each row of the summary table (the first table). */
  const summaryRows = (stdout: string): string[][] => {
    const lines = stdout.split('\n');
    return lines
      .slice(
        3,
        lines.findIndex((line) => line.startsWith('╰')),
      )
      .filter((line) => /^│ (module|component) /.test(line))
      .map((line) =>
        line
          .slice(1, -1)
          .split('┆')
          .map((cell) => cell.trim()),
      );
  };

  it('has components with binaries nested two deep to try', () => {
    expect(components.length).toBeGreaterThanOrEqual(2);
    const qjs = runCli(['show', '--paths', join(corpus, 'component-componentize-qjs-hello.wasm')]);
    expect(summaryRows(qjs.stdout).map((row) => row[6])).toContain('1.2');
  });

  it.each(components)('%s: each printed path, given to add --nested, selects that binary', (file) => {
    const path = join(corpus, file);
    const shown = runCli(['show', '--paths', path]);
    expect(shown.status).toBe(0);
    const rows = summaryRows(shown.stdout);
    const binaries = Array.from(binariesOf(readMetadata(readFileSync(path))));
    expect(rows).toHaveLength(binaries.length);
    expect(binaries.every((binary) => binary.vendor === null)).toBe(true);
    const paths = rows.map((row) => row[6] as string);
    expect(paths[0]).toBe('-');
    // The details tables, one per binary in the same order, repeat the path (not for the root).
    const detailPaths = Array.from(shown.stdout.matchAll(/^│ nested +┆ (\S+) +│$/gm), (m) => m[1]);
    expect(detailPaths).toEqual(paths.slice(1));
    // JSON gives each binary its path too.
    const json = JSON.parse(runCli(['show', '--json', path]).stdout);
    const jsonPaths: (string | null)[] = [];
    type Meta = { nested?: string | null };
    type Node = { module?: Meta; component?: { metadata: Meta; children: Node[] } };
    const walk = (node: Node): void => {
      const metadata = (node.module ?? node.component?.metadata) as Meta;
      jsonPaths.push('nested' in metadata ? (metadata.nested as string | null) : 'absent');
      for (const child of node.component?.children ?? []) walk(child);
    };
    walk(json);
    expect(jsonPaths).toEqual([null, ...paths.slice(1)]);
    expect(paths.length).toBeGreaterThan(1);

    for (let index = 1; index < rows.length; index++) {
      const nested = paths[index] as string;
      const out = join(scratch, `nested-${index}.wasm`);
      const added = runCli(['add', path, '--nested', nested, '--vendor', `marker ${nested}`, '-o', out]);
      expect(added.status, added.stderr).toBe(0);
      const vendors = Array.from(binariesOf(readMetadata(readFileSync(out))), (binary) => binary.vendor);
      const expected = binaries.map((_, at) => (at === index ? `marker ${nested}` : null));
      expect(vendors).toEqual(expected);
      rmSync(out);
    }
  });

  it('leaves the default output as wasm-tools prints it', () => {
    const file = join(corpus, components[0] as string);
    const plain = runCli(['show', file]).stdout;
    expect(plain).not.toContain('NESTED');
    expect(plain).not.toMatch(/^│ nested /m);
  });
});
