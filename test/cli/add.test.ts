import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readMetadata } from '../../src/read.js';
import { runCli } from '../support/cli.js';
import { bareNodePeakRss, cliPeakRss } from '../support/memory.js';
import { HANG_MS } from '../support/hang.js';
import { writeLargeModule } from '../support/files.js';
import { largeInput } from '../support/large-inputs.js';
import { readMetadataFromFileSync } from '../../src/node/read-file.js';
import { REPO_ROOT } from '../support/shared.js';
import { custom, leb, module, nameSubsection, producersData } from '../support/wasm.js';

const scratch = mkdtempSync(join(tmpdir(), 'wasm-meta-add-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let counter = 0;
function write(bytes: number[] | Uint8Array, name = `in-${counter++}.wasm`): string {
  const path = join(scratch, name);
  writeFileSync(path, bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes));
  return path;
}

const sample = module(
  custom('name', nameSubsection('app')),
  custom('producers', producersData([['language', [['Rust', '']]]])),
  custom('licenses', 'MIT'),
);

describe('wasm-meta add', () => {
  it('writes the edited binary to -o and leaves the input alone', () => {
    const input = write(sample);
    const output = join(scratch, 'out.wasm');
    const result = runCli([
      'add',
      input,
      '-o',
      output,
      '--authors',
      'Ana',
      '--processed-by',
      'wasm-meta=0.1.0',
      '--licenses',
      'Apache-2.0',
    ]);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe(
      [
        'producers: added processed-by wasm-meta 0.1.0',
        'authors: set to "Ana"',
        'licenses: changed from "MIT" to "Apache-2.0"',
        `wrote ${output}`,
        '',
      ].join('\n'),
    );
    expect(readFileSync(input)).toEqual(Buffer.from(sample));
    const tree = readMetadata(readFileSync(output));
    expect(tree).toMatchObject({ name: 'app', authors: 'Ana', licenses: 'Apache-2.0' });
    expect(Array.from(tree.producers ?? [], ([f, v]) => [f, Array.from(v)])).toEqual([
      ['language', [['Rust', '']]],
      ['processed-by', [['wasm-meta', '0.1.0']]],
    ]);
  });

  it('splits NAME=VERSION at the first = (empty name and = in the version allowed)', () => {
    const output = join(scratch, 'pairs.wasm');
    expect(runCli(['add', write(module()), '-o', output, '--sdk', '=1', '--sdk', 'a=b=c']).status).toBe(0);
    expect(Array.from(readMetadata(readFileSync(output)).producers?.get('sdk') ?? [])).toEqual([
      ['', '1'],
      ['a', 'b=c'],
    ]);
  });

  it('stores URLs serialized', () => {
    const output = join(scratch, 'url.wasm');
    expect(runCli(['add', write(module()), '-o', output, '--source', 'HTTPS://GitHub.com/acme/app']).status).toBe(0);
    expect(readMetadata(readFileSync(output)).source).toBe('https://github.com/acme/app');
    const raw = readFileSync(output);
    expect(raw.includes(Buffer.from('https://github.com/acme/app'))).toBe(true);
  });

  it.each([
    [
      ['--licenses', 'MIT/Apache-2.0'],
      /^wasm-meta: error: --licenses: "MIT\/Apache-2.0" is not an SPDX licence expression: `MIT\/Apache-2.0`: `\/` is not an operator, use OR\n$/,
    ],
    [
      ['--licenses', 'GPL-2.0'],
      /^wasm-meta: error: --licenses: "GPL-2.0" is not an SPDX licence expression: `GPL-2.0` is a deprecated SPDX licence identifier; did you mean "GPL-2.0-only"\?\n$/,
    ],
    [
      ['--licenses', 'MIT OR GPL-2.0+'],
      /^wasm-meta: error: --licenses: "MIT OR GPL-2.0\+" is not an SPDX licence expression: .*; did you mean "MIT OR GPL-2.0-or-later"\?\n$/,
    ],
    [['--source', 'github.com/acme/app'], /--source: "github.com\/acme\/app" is not an absolute URL/],
    [['--homepage', '/relative'], /--homepage: /],
    [['--documentation', 'nope'], /--documentation: /],
    [['--created', '2026-01-01'], /--created: "2026-01-01" is not an RFC 3339 date-time/],
  ])('rejects %j with exit 1 before anything is written', (flags, message) => {
    const input = write(sample);
    const output = join(scratch, `never-${counter}.wasm`);
    const before = statSync(input);
    const result = runCli(['add', input, '-o', output, ...flags]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(existsSync(output)).toBe(false);
    const inPlace = runCli(['add', input, '--in-place', ...flags]);
    expect(inPlace.status).toBe(1);
    expect(readFileSync(input)).toEqual(Buffer.from(sample));
    expect(statSync(input).mtimeMs).toBe(before.mtimeMs);
    expect(readdirSync(scratch).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it.each([
    [['--authors', 'a', '--clear-authors']],
    [['--name', 'a', '--clear-name']],
    [['--language', 'no-equals-sign']],
    [['-o', 'x.wasm', '--in-place']],
    [['--nested', 'x']],
    [['--bogus']],
  ])('exits 2 for the usage error %j', (flags) => {
    const result = runCli(['add', write(sample), ...flags]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
  });

  it('refuses to write a binary to a terminal', () => {
    const probe = spawnSync('script', ['--version']);
    if (probe.status !== 0) {
      console.warn('skipping the terminal check: `script` (util-linux) is not installed');
      return;
    }
    const command = `node ${join(REPO_ROOT, 'bin', 'wasm-meta.js')} add --name x ${write(sample)}`;
    const result = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', timeout: HANG_MS });
    expect(result.status).toBe(2);
    expect(result.stdout).toContain('refusing to write a binary to the terminal');
  });

  it('edits --in-place atomically, keeping the mode and leaving no temporary file', () => {
    const input = write(sample);
    chmodSync(input, 0o640);
    expect(runCli(['add', input, '--in-place', '--version', '2.0.0']).status).toBe(0);
    expect(statSync(input).mode & 0o777).toBe(0o640);
    expect(readMetadata(readFileSync(input)).version).toBe('2.0.0');
    expect(readdirSync(scratch).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('edits the target of a symbolic link, not the link', () => {
    const target = write(sample);
    const link = join(scratch, `link-${counter++}.wasm`);
    symlinkSync(target, link);
    expect(runCli(['add', link, '--in-place', '--vendor', 'ACME']).status).toBe(0);
    expect(statSync(link).isFile()).toBe(true);
    expect(readMetadata(readFileSync(target)).vendor).toBe('ACME');
  });

  it('does not rewrite a file the edit does not change, and says so', () => {
    const input = write(sample);
    const before = statSync(input);
    const result = runCli(['add', input, '--in-place', '--licenses', 'MIT', '--name', 'app', '--clear-vendor']);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe(
      [
        'name: unchanged ("app")',
        'licenses: unchanged ("MIT")',
        'vendor: unchanged (absent)',
        `${input}: unchanged, not rewritten`,
        '',
      ].join('\n'),
    );
    expect(statSync(input).ino).toBe(before.ino);
    expect(statSync(input).mtimeMs).toBe(before.mtimeMs);
  });

  it('refuses to edit a read-only file in place', () => {
    const input = write(sample);
    chmodSync(input, 0o444);
    const result = runCli(['add', input, '--in-place', '--authors', 'x']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('the file is read-only');
    expect(readFileSync(input)).toEqual(Buffer.from(sample));
  });

  it('exits 1 for a malformed input, naming the file and offset, and writes nothing', () => {
    const input = write(sample.slice(0, -2));
    const output = join(scratch, 'never.wasm');
    const result = runCli(['add', input, '-o', output, '--authors', 'x']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^wasm-meta: error: ${input}: .* at byte offset \\d+`));
    expect(existsSync(output)).toBe(false);
  });

  it('streams a large input from stdin to stdout', () => {
    const path = largeInput('data-40mib');
    const input = readFileSync(path);
    const piped = runCli(['add', '--authors', 'big'], { input });
    expect(piped.status).toBe(0);
    expect(piped.stdoutBytes.length).toBe(input.length + custom('authors', 'big').length);
    expect(piped.stdoutBytes.subarray(0, input.length).equals(input)).toBe(true);
    // Standard input redirected from the file works the same way.
    const fdIn = openSync(path, 'r');
    try {
      const redirected = runCli(['add', '-', '-o', '-', '--authors', 'big'], { stdio: [fdIn, 'pipe', 'pipe'] });
      expect(redirected.stdoutBytes.equals(piped.stdoutBytes)).toBe(true);
    } finally {
      closeSync(fdIn);
    }
  });

  it('edits a nested binary with --nested and re-encodes only the enclosing sizes', () => {
    const inner = module(custom('authors', 'inner'));
    const outer = [
      0x00,
      0x61,
      0x73,
      0x6d,
      0x0d,
      0x00,
      0x01,
      0x00,
      1,
      ...leb(inner.length, 5),
      ...inner,
      ...custom('authors', 'outer'),
    ];
    const output = join(scratch, 'nested.wasm');
    expect(runCli(['add', write(outer), '-o', output, '--nested', '0', '--authors', 'changed']).status).toBe(0);
    const tree = readMetadata(readFileSync(output));
    expect(tree.authors).toBe('outer');
    expect(tree.children[0]?.authors).toBe('changed');
    expect(runCli(['add', write(outer), '-o', output, '--nested', '3', '--authors', 'x']).stderr).toMatch(
      /--nested: there is no binary at 3/,
    );
  });
});

describe('wasm-meta add: what it changed, on standard error', () => {
  const before = module(
    custom('name', nameSubsection('app')),
    custom('producers', producersData([['processed-by', [['wasm-meta', '0.0.9']]]])),
    custom('version', '0.1.0'),
    custom('authors', 'Ana'),
    custom('licenses', 'MIT'),
    custom('licenses', 'MIT'),
    custom('author', 'Old'),
  );
  const edit = [
    '--version',
    '0.2.0',
    '--clear-authors',
    '--licenses',
    'MIT',
    '--source',
    'HTTPS://Example.com/app',
    '--processed-by',
    'wasm-meta=0.1.0',
    '--language',
    'Rust=',
  ];
  const report = [
    'producers: added language Rust',
    'producers: changed processed-by wasm-meta from 0.0.9 to 0.1.0',
    'authors: removed (was "Ana")',
    'licenses: unchanged ("MIT"); 1 duplicate section removed',
    'source: set to "https://example.com/app"',
    'version: changed from "0.1.0" to "0.2.0"',
    'author: removed (legacy section)',
  ];

  it('prints one line per field, producers value and removed section, then what it wrote', () => {
    const input = write(before);
    const result = runCli(['add', input, '--in-place', ...edit]);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe([...report, `wrote ${input}`, ''].join('\n'));
    expect(readMetadata(readFileSync(input))).toMatchObject({ version: '0.2.0', authors: null, licenses: 'MIT' });
    const cleared = runCli(['add', input, '--in-place', '--clear-all', '--name', 'app']);
    expect(cleared.stderr).toBe(
      [
        'name: unchanged ("app")',
        'producers: removed',
        'licenses: removed (was "MIT")',
        'source: removed (was "https://example.com/app")',
        'version: removed (was "0.2.0")',
        `wrote ${input}`,
        '',
      ].join('\n'),
    );
  });

  it('says where the result went when it goes to standard output', () => {
    const result = runCli(['add', '-', '--licenses', 'MIT'], { input: Buffer.from(module()) });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('licenses: set to "MIT"\nwrote the result to standard output\n');
    expect(readMetadata(result.stdoutBytes).licenses).toBe('MIT');
  });

  it('prints nothing about the changes with --quiet (-q), but still the warnings', () => {
    const input = write(before);
    const output = join(scratch, 'quiet.wasm');
    for (const quiet of ['--quiet', '-q']) {
      const result = runCli(['add', input, '-o', output, quiet, ...edit]);
      expect(result.status).toBe(0);
      expect(result.stderr).toBe('');
      expect(readMetadata(readFileSync(output)).version).toBe('0.2.0');
    }
    const manifest = join(scratch, 'package.json');
    writeFileSync(manifest, JSON.stringify({ name: 'x', license: 'GPL-2.0', gitHead: 'abc' }));
    const warned = runCli(['add', input, '-o', output, '-q', '--from', manifest]);
    expect(warned.stderr).toBe(`warning: ${manifest}: license: "GPL-2.0" corrected to "GPL-2.0-only"\n`);
  });

  it.each([
    [['--in-place'], (input: string) => `dry run: nothing written (${input} would be rewritten)`],
    [['-o', 'OUT'], () => `dry run: nothing written (OUT would be written)`],
    [['-o', '-'], () => 'dry run: nothing written (the result would go to standard output)'],
    [[], () => 'dry run: nothing written'],
  ])('--dry-run with %j prints the same report and writes nothing', (where, last) => {
    const input = write(before);
    const stat = statSync(input);
    const output = join(scratch, `dry-${counter}.wasm`);
    const args = where.map((word) => (word === 'OUT' ? output : word));
    const listing = readdirSync(scratch);
    const result = runCli(['add', input, ...args, '--dry-run', ...edit]);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe([...report, last(input).replace('OUT', output), ''].join('\n'));
    expect(readFileSync(input)).toEqual(Buffer.from(before));
    expect(statSync(input).mtimeMs).toBe(stat.mtimeMs);
    // Nothing new in the directory: no output, no temporary file.
    expect(readdirSync(scratch)).toEqual(listing);
  });

  it('prints what the sample in docs/cli.md shows', () => {
    const docs = readFileSync(join(REPO_ROOT, 'docs', 'cli.md'), 'utf8');
    const sample = /\n {2}\$ wasm-meta (add examples\/hello\.wasm --dry-run [^\n]*)\n((?: {2}[^`\n][^\n]*\n)+)/.exec(
      docs,
    );
    expect(sample).not.toBeNull();
    const [, command, output] = sample as unknown as [string, string, string];
    const result = runCli(command.split(' '));
    expect(result.status).toBe(0);
    expect(result.stderr).toBe(output.replace(/^ {2}/gm, ''));
  });

  it('--dry-run still checks every value and the input', () => {
    const input = write(before);
    expect(runCli(['add', input, '--dry-run', '--licenses', 'GPL-2.0']).status).toBe(1);
    expect(runCli(['add', write([0, 1, 2]), '--dry-run', '--licenses', 'MIT']).status).toBe(1);
    expect(runCli(['add', input, '--dry-run', '-o', 'x.wasm', '--in-place']).status).toBe(2);
  });
});

describe('wasm-meta add memory', () => {
  it.each([
    ['at the end', '-o', []],
    ['at the end', '--in-place', []],
    ['near the start', '-o', custom('authors', 'old')],
    ['near the start', '--in-place', custom('authors', 'old')],
  ])('edits a 200 MiB file with the edit %s (%s) within node -e 0 + 32 MiB', (_, mode, lead) => {
    const size = 200 * 1024 * 1024;
    const input = join(scratch, 'two-hundred.wasm');
    const output = join(scratch, 'two-hundred-out.wasm');
    writeLargeModule(input, 11, size, [], lead);
    const limit = bareNodePeakRss() + 32 * 1024 * 1024;
    const target = mode === '-o' ? output : input;
    try {
      const { rss: editing } = cliPeakRss([
        'add',
        input,
        ...(mode === '-o' ? ['-o', output] : ['--in-place']),
        '--authors',
        'x',
        '--sdk',
        'a=1',
      ]);
      expect(editing).toBeLessThan(limit);
      expect(statSync(target).size).toBeGreaterThan(size);
      expect(readMetadataFromFileSync(target)).toMatchObject({ authors: 'x' });
    } finally {
      rmSync(input, { force: true });
      rmSync(output, { force: true });
    }
  });
});
