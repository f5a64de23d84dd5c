import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { textWidth } from '../../src/format/text-width.js';
import { readMetadata } from '../../src/read.js';
import { VERSION } from '../../src/version.js';
import { runCli } from '../support/cli.js';
import { commitAll } from '../support/git.js';
import { REPO_ROOT } from '../support/shared.js';
import { component, custom, module, nameSubsection, producersData } from '../support/wasm.js';

const scratch = mkdtempSync(join(tmpdir(), 'wasm-meta-from-'));
cpSync(join(REPO_ROOT, 'test', 'fixtures', 'manifests'), scratch, { recursive: true });
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function write(name: string, bytes: number[]): string {
  const path = join(scratch, name);
  writeFileSync(path, Uint8Array.from(bytes));
  return path;
}

describe('wasm-meta add --from', () => {
  it('writes the spec example for a Cargo workspace member, revision from git HEAD, in the fixed order', () => {
    const workspace = join(scratch, 'cargo-workspace');
    const head = commitAll(workspace);
    const input = write('empty-component.wasm', component());
    const output = join(scratch, 'cargo-out.wasm');
    const result = runCli(['add', input, '--from', join(workspace, 'hello', 'Cargo.toml'), '-o', output]);
    expect(result.stderr).toBe(
      [
        'name: set to "hello"',
        'producers: added language Rust',
        `producers: added processed-by wasm-meta ${VERSION}`,
        'authors: set to "Ada <ada@example.com>,Bo"',
        'description: set to "Says hello"',
        'licenses: set to "Apache-2.0 WITH LLVM-exception"',
        'source: set to "https://github.com/acme/tools"',
        `revision: set to "${head}"`,
        'version: set to "0.3.1"',
        `wrote ${output}`,
        '',
      ].join('\n'),
    );
    expect(result.status).toBe(0);
    expect(Array.from(readFileSync(output))).toEqual(
      component(
        custom('component-name', nameSubsection('hello')),
        custom(
          'producers',
          producersData([
            ['language', [['Rust', '']]],
            ['processed-by', [['wasm-meta', VERSION]]],
          ]),
        ),
        custom('authors', 'Ada <ada@example.com>,Bo'),
        custom('description', 'Says hello'),
        custom('licenses', 'Apache-2.0 WITH LLVM-exception'),
        custom('source', 'https://github.com/acme/tools'),
        custom('revision', head),
        custom('version', '0.3.1'),
      ),
    );
  });

  it('lets flags win over the manifest, and the manifest over the binary', () => {
    const input = write(
      'existing.wasm',
      module(
        custom('licenses', 'MIT'),
        custom('vendor', 'Old Vendor'),
        custom('description', 'old'),
        custom('producers', producersData([['language', [['Rust', '1.80']]]])),
      ),
    );
    const output = join(scratch, 'precedence.wasm');
    const result = runCli([
      'add',
      input,
      '--from',
      join(scratch, 'cargo-simple', 'Cargo.toml'),
      '--version',
      '9.9.9',
      '--clear-description',
      '--sdk',
      'x=1',
      '-o',
      output,
    ]);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^note: revision not written: .* is not in a git repository\n/);
    expect(result.stderr.split('\n').slice(1)).toEqual([
      'name: set to "simple"',
      'producers: unchanged language Rust 1.80',
      `producers: added processed-by wasm-meta ${VERSION}`,
      'producers: added sdk x 1',
      'authors: set to "Ada <ada@example.com>,Bo"',
      'description: removed (was "old")',
      'licenses: changed from "MIT" to "MIT OR Apache-2.0"',
      'version: set to "9.9.9"',
      `wrote ${output}`,
      '',
    ]);
    const tree = readMetadata(readFileSync(output));
    expect(tree).toMatchObject({
      name: 'simple',
      licenses: 'MIT OR Apache-2.0',
      vendor: 'Old Vendor',
      description: null,
      version: '9.9.9',
      authors: 'Ada <ada@example.com>,Bo',
    });
    // A known Rust version is never replaced by the manifest's empty one; flags' producers come last.
    expect(Array.from(tree.producers ?? [], ([f, v]) => [f, Array.from(v)])).toEqual([
      ['language', [['Rust', '1.80']]],
      ['processed-by', [['wasm-meta', VERSION]]],
      ['sdk', [['x', '1']]],
    ]);
  });

  it('fails with exit 1 on an invalid manifest value, writing nothing, unless a flag replaces it', () => {
    const input = write('plain.wasm', module());
    const output = join(scratch, 'never.wasm');
    const manifest = join(scratch, 'cargo-bad-license', 'Cargo.toml');
    const failed = runCli(['add', input, '--from', manifest, '-o', output]);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toBe(
      `wasm-meta: error: ${manifest}: package.license: "MIT/Apache-2.0" is not an SPDX licence expression: \`MIT/Apache-2.0\`: \`/\` is not an operator, use OR\n`,
    );
    expect(existsSync(output)).toBe(false);
    for (const flag of [['--licenses', 'MIT OR Apache-2.0'], ['--clear-licenses']]) {
      const fixed = runCli(['add', input, '--from', manifest, ...flag, '-o', output]);
      expect(fixed.status).toBe(0);
      expect(readMetadata(readFileSync(output)).licenses).toBe(flag[0] === '--licenses' ? 'MIT OR Apache-2.0' : null);
    }
  });

  it.each([
    ['npm-deprecated-license/package.json', 'license', 'GPL-2.0', 'GPL-2.0-only'],
    ['cargo-deprecated-license/Cargo.toml', 'package.license', 'MIT OR GPL-2.0+', 'MIT OR GPL-2.0-or-later'],
    ['pyproject-misspelt-license/pyproject.toml', 'project.license', 'Apache 2', 'Apache-2.0'],
    ['wkg-deprecated-license/wkg.toml', 'metadata.licenses', 'LGPL-2.1', 'LGPL-2.1-only'],
  ])('corrects the licence of %s as npm would, with a warning naming both', (manifest, key, given, corrected) => {
    const path = join(scratch, manifest);
    const output = join(scratch, 'corrected.wasm');
    const result = runCli(['add', write('lic.wasm', module()), '--from', path, '-o', output]);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain(
      `warning: ${path}: ${key}: ${JSON.stringify(given)} corrected to ${JSON.stringify(corrected)}\n`,
    );
    expect(readMetadata(readFileSync(output)).licenses).toBe(corrected);
    // check compares with the corrected value, and says so too.
    const checked = runCli(['check', output, '--from', path]);
    expect(checked.stderr).toContain(`${JSON.stringify(given)} corrected to ${JSON.stringify(corrected)}`);
    expect(checked.stdout).toMatch(new RegExp(`│ licenses +┆ ${corrected.replace(/[+.]/g, '\\$&')} +┆ ok +│`));
  });

  it('prints warnings for skipped values and goes on', () => {
    const result = runCli([
      'add',
      write('w.wasm', module()),
      '--from',
      join(scratch, 'npm-unlicensed-shorthand', 'package.json'),
      '-o',
      join(scratch, 'w-out.wasm'),
    ]);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('warning: ');
    expect(result.stderr).toContain('license: "UNLICENSED" is not an SPDX expression; licenses not written');
  });

  it('needs --from-kind for a manifest whose name does not tell its kind', () => {
    const renamed = join(scratch, 'manifest.json');
    cpSync(join(scratch, 'npm-init', 'package.json'), renamed);
    const input = write('k.wasm', module());
    const unknown = runCli(['add', input, '--from', renamed, '-o', join(scratch, 'k-out.wasm')]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/cannot tell the manifest kind/);
    const known = runCli(['add', input, '--from', renamed, '--from-kind', 'npm', '-o', join(scratch, 'k-out.wasm')]);
    expect(known.status).toBe(0);
    expect(readMetadata(readFileSync(join(scratch, 'k-out.wasm'))).name).toBe('fresh');
    expect(runCli(['add', input, '--from', renamed, '--from-kind', 'maven']).status).toBe(2);
  });
});

describe('wasm-meta check', () => {
  const manifest = join(scratch, 'npm-spec-example', 'package.json');

  it('passes when the binary agrees with the manifest', () => {
    const stamped = join(scratch, 'stamped.wasm');
    expect(runCli(['add', write('c.wasm', module()), '--from', manifest, '-o', stamped]).status).toBe(0);
    const result = runCli(['check', stamped, '--from', manifest, '--require', 'licenses,source,revision']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/ok: .*stamped\.wasm\n$/);
    // The field is marked required (on one line, or wrapped onto the next).
    expect(result.stdout).toMatch(/│ licenses( \(required\) +┆|\s+┆.*\n│ \(required\) +┆)/);
    const json = JSON.parse(runCli(['check', stamped, '--from', manifest, '--json']).stdout);
    expect(json.ok).toBe(true);
    expect(json.packageManifest).toBe(manifest);
    expect(json.fields.find((f: { field: string }) => f.field === 'source')).toEqual({
      field: 'source',
      binary: 'https://github.com/acme/hello',
      expected: 'https://github.com/acme/hello',
      required: false,
      status: 'ok',
      reason: null,
    });
  });

  const sourceAt = 8 + custom('version', '1.1.0').length;
  const failing = () => write('d.wasm', module(custom('version', '1.1.0'), custom('source', 'not a url')));

  it('exits 3 when a value differs, a required field is missing, or a section is invalid, saying why', () => {
    const input = failing();
    const result = runCli(['check', input, '--from', manifest, '--require', 'vendor', '--json']);
    expect(result.status).toBe(3);
    const rows = Object.fromEntries(
      JSON.parse(result.stdout).fields.map((f: { field: string; status: string; reason: string | null }) => [
        f.field,
        [f.status, f.reason],
      ]),
    );
    expect(rows).toMatchObject({
      version: ['differs', 'expected "1.2.0", found "1.1.0"'],
      source: ['invalid', `"not a url" is not an absolute URL (the source section at 0x${sourceAt.toString(16)})`],
      vendor: ['missing', 'required'],
      licenses: ['missing', 'expected "MIT OR Apache-2.0", found none'],
    });
    const table = runCli(['check', input, '--from', manifest, '--require', 'vendor']);
    expect(table.status).toBe(3);
    expect(table.stdout).toMatch(/FAILED: .*d\.wasm\n$/);
    // Each failing row's status cell says why (the cells wrap at spaces; joined, they read whole).
    const statusCells = table.stdout.split(/\n[├╞╰].*\n/).map((row) =>
      Array.from(row.matchAll(/┆ ([^┆│]*?) *│$/gm), (m) => m[1])
        .join(' ')
        .trim(),
    );
    expect(statusCells).toContain('differs: expected "1.2.0", found "1.1.0"');
    expect(statusCells).toContain(
      `invalid: "not a url" is not an absolute URL (the source section at 0x${sourceAt.toString(16)})`,
    );
    expect(statusCells).toContain('missing: required');
    expect(statusCells).toContain('missing: expected "MIT OR Apache-2.0", found none');
  });

  it('exits 1, not 3, when the binary or the manifest cannot be read', () => {
    const truncated = write('truncated.wasm', module(custom('version', '1.0.0')).slice(0, -2));
    const broken = runCli(['check', truncated, '--from', manifest]);
    expect(broken.status).toBe(1);
    expect(broken.stdout).toBe('');
    expect(runCli(['check', join(scratch, 'absent.wasm'), '--require', 'licenses']).status).toBe(1);
    expect(runCli(['check', failing(), '--from', join(scratch, 'absent', 'package.json')]).status).toBe(1);
  });

  it('never breaks a URL, a hash or a quoted value across lines, however narrow the terminal', () => {
    const revision = 'de978e17a80c1118f606fce919ba9b7d5a04a5ad';
    const url = 'https://github.com/acme/a-repository-with-a-rather-long-name';
    const input = write(
      'long.wasm',
      module(custom('source', url), custom('revision', revision), custom('version', '1.1.0')),
    );
    for (const columns of ['20', '40', '80']) {
      const result = runCli(['check', input, '--from', manifest, '--require', 'revision'], {
        env: { ...process.env, COLUMNS: columns },
      });
      expect(result.status).toBe(3);
      const lines = result.stdout.split('\n');
      expect(
        lines.some((line) => line.includes(url)),
        columns,
      ).toBe(true);
      expect(
        lines.some((line) => line.includes(revision)),
        columns,
      ).toBe(true);
      expect(
        lines.some((line) => line.includes('"https://github.com/acme/hello",')),
        columns,
      ).toBe(true);
      // The table stays a table: every line of it is as wide as the others.
      const table = lines.filter((line) => /^[╭│├╞╰]/.test(line));
      expect(new Set(table.map((line) => textWidth(line))).size, columns).toBe(1);
    }
    // A wide terminal gets a table no wider than it, which needs no wrapping at all.
    const wide = runCli(['check', input, '--from', manifest], { env: { ...process.env, COLUMNS: '200' } });
    expect(wide.stdout).toContain('differs: expected "https://github.com/acme/hello", found');
  });

  it('exits 2 for an unknown required field', () => {
    expect(runCli(['check', write('e.wasm', module()), '--require', 'colour']).status).toBe(2);
  });
});
