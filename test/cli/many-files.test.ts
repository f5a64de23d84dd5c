import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readMetadata } from '../../src/read.js';
import { VERSION } from '../../src/version.js';
import { runCli } from '../support/cli.js';
import { commitAll } from '../support/git.js';
import { HANG_MS } from '../support/hang.js';
import { splitFences } from '../support/markdown.js';
import { REPO_ROOT } from '../support/shared.js';
import { component, custom, module, nameSubsection } from '../support/wasm.js';

// `add` and `check` with several files, as an npm `prepack` script runs them: the CLI as users
// run it, in a project directory, with relative file names.

const scratch = mkdtempSync(join(tmpdir(), 'wasm-meta-many-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const MANIFEST = {
  name: 'hello',
  version: '1.2.0',
  license: 'MIT',
  repository: 'https://github.com/acme/hello',
};

const plain = module(custom('name', nameSubsection('hello')));
/** A binary cut off inside its last section. */
const truncated = module(custom('name', nameSubsection('hello')), custom('licenses', 'MIT')).slice(0, -2);
const NOT_GIT = 'is not in a git repository';

let counter = 0;
/** A fresh project directory: package.json (MANIFEST unless given) and the files given, by relative name. */
function project(files: Record<string, number[]>, manifest: object = MANIFEST): string {
  const dir = join(scratch, `project-${counter++}`);
  mkdirSync(join(dir, 'dist'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest));
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), Uint8Array.from(bytes));
  return dir;
}

const read = (dir: string, name: string): Buffer => readFileSync(join(dir, name));

describe('wasm-meta add with several files', () => {
  it('stamps each in place, reading the manifest once, and says what it did to each, then sums up', () => {
    const dir = project({ 'dist/a.wasm': plain, 'dist/b.wasm': component(), 'dist/c.wasm': plain });
    // c.wasm is already stamped: it is left as it is.
    expect(runCli(['add', '--from', 'package.json', '--in-place', 'dist/c.wasm'], { cwd: dir }).status).toBe(0);
    const before = read(dir, 'dist/c.wasm');
    const result = runCli(
      ['add', '--from', 'package.json', '--in-place', 'dist/a.wasm', 'dist/b.wasm', 'dist/c.wasm'],
      {
        cwd: dir,
      },
    );
    expect(result.status).toBe(0);
    const lines = result.stderr.split('\n');
    // The manifest's note is said once, not once per file.
    expect(lines.filter((line) => line.includes(NOT_GIT))).toHaveLength(1);
    expect(lines.slice(1).join('\n')).toBe(
      [
        'dist/a.wasm: name: unchanged ("hello")',
        `dist/a.wasm: producers: added processed-by wasm-meta ${VERSION}`,
        'dist/a.wasm: licenses: set to "MIT"',
        'dist/a.wasm: source: set to "https://github.com/acme/hello"',
        'dist/a.wasm: version: set to "1.2.0"',
        'wrote dist/a.wasm',
        'dist/b.wasm: name: set to "hello"',
        `dist/b.wasm: producers: added processed-by wasm-meta ${VERSION}`,
        'dist/b.wasm: licenses: set to "MIT"',
        'dist/b.wasm: source: set to "https://github.com/acme/hello"',
        'dist/b.wasm: version: set to "1.2.0"',
        'wrote dist/b.wasm',
        'dist/c.wasm: name: unchanged ("hello")',
        `dist/c.wasm: producers: unchanged processed-by wasm-meta ${VERSION}`,
        'dist/c.wasm: licenses: unchanged ("MIT")',
        'dist/c.wasm: source: unchanged ("https://github.com/acme/hello")',
        'dist/c.wasm: version: unchanged ("1.2.0")',
        'dist/c.wasm: unchanged, not rewritten',
        '3 files: 2 written (dist/a.wasm, dist/b.wasm), 1 unchanged (dist/c.wasm)',
        '',
      ].join('\n'),
    );
    for (const file of ['dist/a.wasm', 'dist/b.wasm']) {
      expect(readMetadata(read(dir, file)), file).toMatchObject({
        name: 'hello',
        licenses: 'MIT',
        source: 'https://github.com/acme/hello',
        version: '1.2.0',
      });
    }
    expect(read(dir, 'dist/c.wasm')).toEqual(before);
  });

  it('goes on past a bad file, leaves it untouched, exits 1 and names what was written and what failed', () => {
    const dir = project({ 'dist/a.wasm': plain, 'dist/b.wasm': truncated, 'dist/c.wasm': plain });
    const result = runCli(
      ['add', '--from', 'package.json', '--in-place', '-q', 'dist/a.wasm', 'dist/b.wasm', 'dist/c.wasm'],
      {
        cwd: dir,
      },
    );
    expect(result.status).toBe(1);
    const errors = result.stderr.split('\n').filter((line) => line.startsWith('wasm-meta: error: '));
    expect(errors).toEqual([
      expect.stringMatching(/^wasm-meta: error: dist\/b\.wasm: .* at byte offset \d+ \(0x[0-9a-f]+\)$/),
      'wasm-meta: error: 1 of 3 files failed (dist/b.wasm); 2 written (dist/a.wasm, dist/c.wasm)',
    ]);
    expect(read(dir, 'dist/b.wasm')).toEqual(Buffer.from(truncated));
    for (const file of ['dist/a.wasm', 'dist/c.wasm']) expect(readMetadata(read(dir, file)).licenses, file).toBe('MIT');
    // Nothing else of the directory: no temporary file left behind.
    expect(readdirSync(join(dir, 'dist')).sort()).toEqual(['a.wasm', 'b.wasm', 'c.wasm']);
  });

  it('reports a file it cannot write, and still writes the others', () => {
    const dir = project({ 'dist/a.wasm': plain, 'dist/b.wasm': plain });
    chmodSync(join(dir, 'dist/a.wasm'), 0o444);
    const result = runCli(['add', '--licenses', 'MIT', '--in-place', 'dist/a.wasm', 'dist/b.wasm'], { cwd: dir });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('wasm-meta: error: dist/a.wasm: the file is read-only\n');
    expect(result.stderr).toContain('wasm-meta: error: 1 of 2 files failed (dist/a.wasm); 1 written (dist/b.wasm)\n');
    expect(read(dir, 'dist/a.wasm')).toEqual(Buffer.from(plain));
    expect(readMetadata(read(dir, 'dist/b.wasm')).licenses).toBe('MIT');
  });

  it('says "0 written" when every file fails', () => {
    const dir = project({ 'dist/a.wasm': truncated, 'dist/b.wasm': truncated });
    const result = runCli(['add', '--licenses', 'MIT', '--in-place', 'dist/a.wasm', 'dist/b.wasm'], { cwd: dir });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /wasm-meta: error: 2 of 2 files failed \(dist\/a\.wasm, dist\/b\.wasm\); 0 written\n$/,
    );
  });

  it('refuses -o, no destination and standard input among several files (usage, exit 2), writing nothing', () => {
    const dir = project({ 'dist/a.wasm': plain, 'dist/b.wasm': plain });
    const cases: Array<[string[], string]> = [
      [['-o', 'out.wasm'], '-o writes one file, but 2 input files are given: use --in-place'],
      [[], '2 input files are given: add --in-place to edit each (or --dry-run)'],
    ];
    for (const [flags, message] of cases) {
      const result = runCli(['add', '--licenses', 'MIT', ...flags, 'dist/a.wasm', 'dist/b.wasm'], { cwd: dir });
      expect(result.status, flags.join(' ')).toBe(2);
      expect(result.stderr).toBe(`wasm-meta: error: ${message} (run "wasm-meta add --help" for usage)\n`);
    }
    const stdin = runCli(['add', '--licenses', 'MIT', '--in-place', '-', 'dist/a.wasm'], { cwd: dir });
    expect(stdin.status).toBe(2);
    expect(stdin.stderr).toContain('standard input (-) can only be the one input');
    expect(readdirSync(dir).sort()).toEqual(['dist', 'package.json']);
    for (const file of ['dist/a.wasm', 'dist/b.wasm']) expect(read(dir, file)).toEqual(Buffer.from(plain));
  });

  it('with --dry-run, says what would change in each file and writes none', () => {
    const dir = project({ 'dist/a.wasm': plain, 'dist/b.wasm': module(custom('licenses', 'MIT')) });
    const result = runCli(['add', '--licenses', 'MIT', '--dry-run', 'dist/a.wasm', 'dist/b.wasm'], { cwd: dir });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe(
      [
        'dist/a.wasm: licenses: set to "MIT"',
        'dry run: nothing written (dist/a.wasm would be rewritten)',
        'dist/b.wasm: licenses: unchanged ("MIT")',
        'dry run: nothing written (dist/b.wasm would stay as it is)',
        '2 files: dry run, nothing written: 1 would be rewritten (dist/a.wasm), 1 would stay as they are (dist/b.wasm)',
        '',
      ].join('\n'),
    );
    expect(read(dir, 'dist/a.wasm')).toEqual(Buffer.from(plain));
  });

  it('expands a glob pattern that the shell passed as written (as cmd.exe does), sorted; one that matches nothing is an error', () => {
    const dir = project({
      'dist/b.wasm': plain,
      'dist/a.wasm': plain,
      'dist/.hidden.wasm': plain,
      'dist/x.txt': plain,
    });
    // dist/a.wasm is named twice, by the pattern and by name: it is stamped once.
    const result = runCli(['add', '--licenses', 'MIT', '--in-place', 'dist/*.wasm', 'dist/a.wasm'], { cwd: dir });
    expect(result.status).toBe(0);
    expect(result.stderr.split('\n').at(-2)).toBe('2 files: 2 written (dist/a.wasm, dist/b.wasm)');
    expect(read(dir, 'dist/.hidden.wasm')).toEqual(Buffer.from(plain));
    expect(read(dir, 'dist/x.txt')).toEqual(Buffer.from(plain));
    const none = runCli(['add', '--licenses', 'MIT', '--in-place', 'dist/a.wasm', 'out/*.wasm'], { cwd: dir });
    expect(none.status).toBe(1);
    expect(none.stderr).toBe('wasm-meta: error: out/*.wasm: no file matches this pattern\n');
  });

  it('with one file, says exactly what it says without the many-files support', () => {
    const dir = project({ 'dist/a.wasm': plain });
    const result = runCli(['add', '--licenses', 'MIT', '--in-place', 'dist/a.wasm'], { cwd: dir });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('licenses: set to "MIT"\nwrote dist/a.wasm\n');
  });
});

describe('wasm-meta check with several files', () => {
  const stamped = module(custom('name', nameSubsection('hello')), custom('licenses', 'MIT'));
  const other = module(custom('name', nameSubsection('hello')), custom('licenses', 'Apache-2.0'));
  /** The manifest `stamped` agrees with. */
  const manifest = { name: 'hello', license: 'MIT' };

  it('prints a table under each file name, then a summary; exits 3 when one disagrees', () => {
    const dir = project({ 'dist/a.wasm': stamped, 'dist/b.wasm': other }, manifest);
    const result = runCli(['check', '--from', 'package.json', '--require', 'licenses', 'dist/a.wasm', 'dist/b.wasm'], {
      cwd: dir,
      env: { ...process.env, COLUMNS: '200' },
    });
    expect(result.status).toBe(3);
    const out = result.stdout;
    expect(out.startsWith('dist/a.wasm:\n╭')).toBe(true);
    expect(out).toContain('\nok: dist/a.wasm\n\ndist/b.wasm:\n╭');
    expect(out).toMatch(/│ licenses \(required\) ┆ Apache-2\.0 ┆ differs: expected "MIT", found "Apache-2\.0" +│/);
    expect(out.endsWith('\nFAILED: dist/b.wasm\n\n2 files: 1 ok (dist/a.wasm), 1 FAILED (dist/b.wasm)\n')).toBe(true);
    expect(result.stderr.split('\n').filter((line) => line.includes(NOT_GIT))).toHaveLength(1);
  });

  it('exits 1 when one cannot be read, even if another disagrees, and checks every other file', () => {
    const dir = project({ 'dist/a.wasm': truncated, 'dist/b.wasm': other, 'dist/c.wasm': stamped }, manifest);
    const result = runCli(
      ['check', '--require', 'licenses', '--from', 'package.json', 'dist/a.wasm', 'dist/b.wasm', 'dist/c.wasm'],
      {
        cwd: dir,
      },
    );
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^dist\/a\.wasm:\nunreadable: dist\/a\.wasm\n\ndist\/b\.wasm:\n╭/);
    expect(result.stdout).toContain('\nFAILED: dist/b.wasm\n');
    expect(result.stdout).toContain('\nok: dist/c.wasm\n');
    expect(
      result.stdout.endsWith('\n3 files: 1 ok (dist/c.wasm), 1 FAILED (dist/b.wasm), 1 unreadable (dist/a.wasm)\n'),
    ).toBe(true);
    expect(result.stderr).toMatch(/^wasm-meta: error: dist\/a\.wasm: .* at byte offset \d+/m);
  });

  it('exits 0 when every file passes', () => {
    const dir = project({ 'dist/a.wasm': stamped, 'dist/b.wasm': stamped }, manifest);
    const result = runCli(['check', '--require', 'licenses,name', 'dist/a.wasm', 'dist/b.wasm'], { cwd: dir });
    expect(result.status).toBe(0);
    expect(result.stdout.endsWith('\n2 files: 2 ok (dist/a.wasm, dist/b.wasm)\n')).toBe(true);
  });

  it('with --json, prints an array of the one-file documents, an unreadable file with its error', () => {
    const dir = project({ 'dist/a.wasm': stamped, 'dist/b.wasm': truncated }, manifest);
    const result = runCli(['check', '--json', '--require', 'licenses', 'dist/a.wasm', 'dist/b.wasm'], { cwd: dir });
    expect(result.status).toBe(1);
    const single = runCli(['check', '--json', '--require', 'licenses', 'dist/a.wasm'], { cwd: dir });
    expect(single.status).toBe(0);
    const documents = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    expect(documents).toHaveLength(2);
    expect(documents[0]).toEqual(JSON.parse(single.stdout));
    expect(documents[1]).toEqual({
      file: 'dist/b.wasm',
      packageManifest: null,
      ok: false,
      error: expect.stringMatching(/^dist\/b\.wasm: .* at byte offset \d+/),
      fields: [],
    });
    expect(result.stderr).toContain(`wasm-meta: error: ${documents[1]?.['error'] as string}\n`);
  });
});

/** The environment of a child npm: without the npm_* variables of an `npm test` running us. */
const cleanEnv = (): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')));

/** The package.json that docs/cli.md shows for a `prepack` script (its ```json block with one). */
function documentedPackageJson(): { scripts: { prepack: string } } & Record<string, unknown> {
  const { fences } = splitFences(readFileSync(join(REPO_ROOT, 'docs', 'cli.md'), 'utf8'));
  const blocks = fences.filter((fence) => fence.info === 'json' && fence.lines.join('\n').includes('"prepack"'));
  expect(blocks).toHaveLength(1);
  return JSON.parse((blocks[0] as { lines: string[] }).lines.join('\n'));
}

describe('an npm prepack script', () => {
  /**
   * A package as its maintainer has it: docs/cli.md's package.json, built .wasm files in dist/,
   * a git repository, and wasm-meta installed (node_modules/.bin/wasm-meta, a link to
   * bin/wasm-meta.js, as npm makes it).
   */
  function packageProject(files: Record<string, number[]>): string {
    const dir = project(files, documentedPackageJson());
    mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
    symlinkSync(join(REPO_ROOT, 'bin', 'wasm-meta.js'), join(dir, 'node_modules', '.bin', 'wasm-meta'));
    writeFileSync(join(dir, '.gitignore'), 'node_modules/\n*.tgz\n');
    commitAll(dir, 'release');
    return dir;
  }

  const npmPack = (dir: string) =>
    spawnSync('npm', ['pack', '--pack-destination', dir], {
      cwd: dir,
      env: cleanEnv(),
      encoding: 'utf8',
      timeout: HANG_MS,
    });

  it('stamps every .wasm file of the package from package.json and git, and the tarball holds them stamped', () => {
    const manifest = documentedPackageJson();
    const dir = packageProject({ 'dist/app.wasm': component(), 'dist/worker.wasm': plain });
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8' }).trim();
    const packed = npmPack(dir);
    expect(packed.status, packed.stderr).toBe(0);
    // The script's own report, on npm's standard error: each file, then the check's summary.
    expect(packed.stderr).toContain('wrote dist/app.wasm\n');
    expect(packed.stderr).toContain('wrote dist/worker.wasm\n');
    expect(packed.stdout).toContain('2 files: 2 ok (dist/app.wasm, dist/worker.wasm)\n');
    const tarball = readdirSync(dir).find((name) => name.endsWith('.tgz'));
    expect(tarball).toBe(`${manifest['name'] as string}-${manifest['version'] as string}.tgz`);
    const unpacked = join(dir, 'unpacked');
    mkdirSync(unpacked);
    execFileSync('tar', ['-xzf', join(dir, tarball as string), '-C', unpacked]);
    for (const file of ['app.wasm', 'worker.wasm']) {
      const tree = readMetadata(readFileSync(join(unpacked, 'package', 'dist', file)));
      expect(tree, file).toMatchObject({
        name: manifest['name'],
        version: manifest['version'],
        licenses: manifest['license'],
        revision: head,
      });
      expect(tree.source, file).toMatch(/^https:\/\/github\.com\//);
    }
  });

  it('fails the pack, naming the bad file, when one .wasm file is broken; the good one is still stamped', () => {
    const dir = packageProject({ 'dist/app.wasm': component(), 'dist/broken.wasm': truncated });
    const packed = npmPack(dir);
    expect(packed.status).not.toBe(0);
    expect(packed.stderr).toMatch(/wasm-meta: error: dist\/broken\.wasm: .* at byte offset/);
    expect(packed.stderr).toContain(
      'wasm-meta: error: 1 of 2 files failed (dist/broken.wasm); 1 written (dist/app.wasm)',
    );
    expect(readdirSync(dir).some((name) => name.endsWith('.tgz'))).toBe(false);
    expect(read(dir, 'dist/broken.wasm')).toEqual(Buffer.from(truncated));
    expect(readMetadata(read(dir, 'dist/app.wasm')).licenses).toBe(documentedPackageJson()['license']);
  });
});
