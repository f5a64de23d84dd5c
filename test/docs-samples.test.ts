import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import bcrypt from 'bcryptjs';
import { transformSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copySources } from './support/files.js';
import { HANG_MS } from './support/hang.js';
import { type Fence, splitFences } from './support/markdown.js';
import { type TestRegistry, registryAvailable, startRegistry } from './support/registry.js';
import { REPO_ROOT } from './support/shared.js';
import { missingLines } from './support/transcript.js';
import { custom, module } from './support/wasm.js';

/**
 * Runs every code sample in README.md and docs/*.md as a reader would, so that no sample says
 * what the tool does not do. How a fenced block is treated follows from its info string:
 *
 * - ```sh / ```bash / ```shell: run by `bash -e -o pipefail` with `wasm-meta` on PATH (a link to
 *   bin/wasm-meta.js, over the built dist/: `npm test` builds first). A block made only of `npm`
 *   commands (install, build, bench, the web inspector's server, the test suite itself) is the
 *   checkout's own scripts, not a wasm-meta sample: each script it names must exist in
 *   package.json, and it is not run (docs.test.ts runs `npm start`; CI runs `npm ci` and `npm test`).
 * - ```js / ```ts: run as an ES module by Node (ts through esbuild's transform), with `wasm-meta`
 *   and `wasm-meta/node` resolving to this checkout (a `node_modules/wasm-meta` link to it, with
 *   links to its dependencies beside it, as npm hoists them). A
 *   comment on a `console.log(…);` line is the line it prints: each must be a line of the
 *   output, in order, where `…` stands for any text (test/support/transcript.ts).
 * - Anything else (```text, ```yaml, ```json, a bare ```) is illustration and is not run.
 *
 * The fixture: each Markdown file's blocks run in order (a page is read in order: stamp, then
 * check, then push) in one fresh directory, a git repository with one commit, holding:
 * `package.json` (examples/package.json) and the same as `pkg.json`; `Cargo.toml`,
 * `pyproject.toml` and `wkg.toml` for the same component (below); `app.wasm`, `hello.wasm`,
 * `dist/app.wasm`, `dist/hello.wasm` and `target/wasm32-wasip1/release/hello.wasm` (where
 * cargo-component writes it), copies of examples/hello.wasm; `old.wasm`, a module with
 * legacy `author` and `registry-metadata` sections; and `examples/` (a copy). `HOME` is a
 * directory of its own, and `$TOKEN` and `$GHCR_TOKEN` hold the registry password.
 *
 * Registries: the samples name `ghcr.io` (and `localhost:5000`), which a test cannot reach. Before
 * a block runs, those hosts are rewritten, visibly here (REGISTRY_HOSTS), to a real registry the
 * test starts on 127.0.0.1 (docker-registry, test/support/registry.ts), with Basic authentication
 * for `acme` whose password is `$TOKEN`. Docker's config.json in `$HOME` holds the same
 * credentials, as after `docker login`, for the samples that pass no `-u`. Plain HTTP to
 * 127.0.0.1 needs no `--insecure`. Without docker-registry, blocks that name a registry are
 * skipped (a failure when WASM_META_REQUIRE_REGISTRY is set).
 */

/** wasm-meta's package.json. */
const PACKAGE = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};

/** Registry hosts in samples, rewritten to the test registry's `127.0.0.1:<port>`. */
const REGISTRY_HOSTS = ['ghcr.io', 'localhost:5000'];
/** The registry user of the samples, and the password they read from $TOKEN / $GHCR_TOKEN. */
const REGISTRY_USER = 'acme';
const REGISTRY_PASSWORD = 'sample-token';

const MARKDOWN = [
  'README.md',
  ...readdirSync(join(REPO_ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`),
];

/** The component's other package manifests, consistent with examples/package.json. */
const MANIFESTS: Record<string, string> = {
  'Cargo.toml': [
    '[package]',
    'name = "hello"',
    'version = "0.1.0"',
    'authors = ["Ana Lima <ana@example.com>"]',
    'description = "Greets you by name"',
    'license = "Apache-2.0"',
    'repository = "https://github.com/acme/hello"',
    'homepage = "https://github.com/acme/hello#readme"',
    '',
  ].join('\n'),
  'pyproject.toml': [
    '[project]',
    'name = "hello"',
    'version = "0.1.0"',
    'description = "Greets you by name"',
    'authors = [{ name = "Ana Lima", email = "ana@example.com" }]',
    'license = "Apache-2.0"',
    '',
    '[project.urls]',
    'Repository = "https://github.com/acme/hello"',
    '',
  ].join('\n'),
  'wkg.toml': [
    '[metadata]',
    'authors = ["Ana Lima <ana@example.com>"]',
    'description = "Greets you by name"',
    'license = "Apache-2.0"',
    'repository = "https://github.com/acme/hello"',
    '',
  ].join('\n'),
};

type Kind = 'shell' | 'npm' | 'module' | 'illustration';

/** How a block is treated (see the top of this file). */
function kindOf(fence: Fence): Kind {
  const language = fence.info.split(/\s+/)[0]?.toLowerCase() ?? '';
  if (['sh', 'bash', 'shell'].includes(language)) {
    const commands = fence.lines.map((line) => line.replace(/#.*$/, '').trim()).filter((line) => line !== '');
    return commands.length > 0 && commands.every((line) => /^npm\s/.test(line)) ? 'npm' : 'shell';
  }
  if (['js', 'javascript', 'mjs', 'ts', 'typescript'].includes(language)) return 'module';
  return 'illustration';
}

/** A Markdown file's runnable blocks, each with its kind and a name that says where it is. */
function samplesOf(file: string): Array<{ name: string; kind: Kind; fence: Fence }> {
  const { fences } = splitFences(readFileSync(join(REPO_ROOT, file), 'utf8'));
  return fences
    .map((fence) => ({ name: `${file}:${fence.line} (${fence.info})`, kind: kindOf(fence), fence }))
    .filter((sample) => sample.kind !== 'illustration');
}

/** The block's code with the registry hosts rewritten to the test registry's. */
function rewriteHosts(code: string, registry: TestRegistry | undefined): string {
  if (registry === undefined) return code;
  return REGISTRY_HOSTS.reduce((text, host) => text.split(host).join(registry.host), code);
}

const namesRegistry = (code: string): boolean => REGISTRY_HOSTS.some((host) => code.includes(host));

/** What each `console.log(…); // comment` line says it prints. */
function promisedOutput(code: string): string[] {
  return code
    .split('\n')
    .map((line) => /^\s*console\.log\(.*\);\s+\/\/ (.+)$/.exec(line)?.[1]?.trim())
    .filter((text): text is string => text !== undefined);
}

/** Runs a command in the fixture; a run that has not ended after HANG_MS fails as hung. */
function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; input?: string }) {
  const result = spawnSync(command, args, { ...options, encoding: 'utf8', timeout: HANG_MS });
  const report = `exit status ${result.status ?? result.signal}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
  return { status: result.status, stdout: result.stdout, report };
}

/** A fresh fixture directory for one Markdown file's samples (see the top of this file). */
function makeFixture(registry: TestRegistry | undefined): { dir: string; env: NodeJS.ProcessEnv; remove(): void } {
  const root = mkdtempSync(join(tmpdir(), 'wasm-meta-samples-'));
  const dir = join(root, 'project');
  const home = join(root, 'home');
  const bin = join(root, 'bin');
  const cargoOutput = join('target', 'wasm32-wasip1', 'release');
  for (const path of [dir, home, bin, join(dir, 'dist'), join(dir, cargoOutput), join(dir, 'node_modules', '.bin')])
    mkdirSync(path, { recursive: true });
  const example = join(REPO_ROOT, 'examples', 'hello.wasm');
  for (const copy of ['app.wasm', 'hello.wasm', 'dist/app.wasm', 'dist/hello.wasm', join(cargoOutput, 'hello.wasm')])
    copyFileSync(example, join(dir, copy));
  copySources(join(REPO_ROOT, 'examples'), join(dir, 'examples'));
  copyFileSync(join(REPO_ROOT, 'examples', 'package.json'), join(dir, 'package.json'));
  copyFileSync(join(REPO_ROOT, 'examples', 'package.json'), join(dir, 'pkg.json'));
  for (const [name, text] of Object.entries(MANIFESTS)) writeFileSync(join(dir, name), text);
  const legacy = JSON.stringify({ authors: ['Ana Lima'], license: 'Apache-2.0', categories: ['greeting'] });
  writeFileSync(
    join(dir, 'old.wasm'),
    Uint8Array.from(module(custom('registry-metadata', legacy), custom('author', 'Ana Lima'))),
  );
  // `wasm-meta` on PATH, as an installed package gives it; `wasm-meta` importable.
  const command = join(REPO_ROOT, 'bin', 'wasm-meta.js');
  symlinkSync(command, join(bin, 'wasm-meta'));
  symlinkSync(command, join(dir, 'node_modules', '.bin', 'wasm-meta'));
  symlinkSync(REPO_ROOT, join(dir, 'node_modules', 'wasm-meta'));
  // wasm-meta's dependencies beside it, as npm installs (hoists) them: a sample may parse TOML
  // with smol-toml, which a project that installs wasm-meta has.
  for (const name of Object.keys(PACKAGE.dependencies)) {
    mkdirSync(dirname(join(dir, 'node_modules', name)), { recursive: true });
    symlinkSync(join(REPO_ROOT, 'node_modules', name), join(dir, 'node_modules', name));
  }
  writeFileSync(join(dir, '.gitignore'), 'node_modules/\n');
  const env: NodeJS.ProcessEnv = {
    PATH: `${bin}:${process.env['PATH'] ?? ''}`,
    HOME: home,
    LANG: 'C.UTF-8',
    TOKEN: REGISTRY_PASSWORD,
    GHCR_TOKEN: REGISTRY_PASSWORD,
    GIT_AUTHOR_NAME: 'Ana Lima',
    GIT_AUTHOR_EMAIL: 'ana@example.com',
    GIT_COMMITTER_NAME: 'Ana Lima',
    GIT_COMMITTER_EMAIL: 'ana@example.com',
  };
  if (registry !== undefined) {
    const auth = Buffer.from(`${REGISTRY_USER}:${REGISTRY_PASSWORD}`).toString('base64');
    mkdirSync(join(home, '.docker'));
    writeFileSync(join(home, '.docker', 'config.json'), JSON.stringify({ auths: { [registry.host]: { auth } } }));
  }
  for (const args of [
    ['init', '-q'],
    ['add', '.'],
    ['commit', '-q', '-m', 'hello 0.1.0'],
  ]) {
    const result = run('git', args, { cwd: dir, env });
    if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.report}`);
  }
  return { dir, env, remove: () => rmSync(root, { recursive: true, force: true }) };
}

const SCRIPTS = (
  JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;

/** The package.json scripts that a block of npm commands names but the checkout lacks. */
function missingScripts(lines: string[]): string[] {
  const missing: string[] = [];
  for (const command of lines.flatMap((line) => line.replace(/#.*$/, '').split('&&'))) {
    const words = command.trim().split(/\s+/);
    const script = words[1] === 'run' ? words[2] : ['start', 'test'].includes(words[1] ?? '') ? words[1] : undefined;
    if (script !== undefined && !(script in SCRIPTS)) missing.push(script);
  }
  return missing;
}

const useRegistry = MARKDOWN.some((file) =>
  samplesOf(file).some((sample) => sample.kind !== 'npm' && namesRegistry(sample.fence.lines.join('\n'))),
);
const hasRegistry = useRegistry && registryAvailable();
let registry: TestRegistry | undefined;

beforeAll(async () => {
  if (hasRegistry) {
    registry = await startRegistry({ htpasswd: `${REGISTRY_USER}:${bcrypt.hashSync(REGISTRY_PASSWORD, 6)}\n` });
  }
});

afterAll(async () => {
  await registry?.stop();
});

describe.each(MARKDOWN.filter((file) => samplesOf(file).length > 0))('the samples of %s', (file) => {
  let fixture: ReturnType<typeof makeFixture>;
  beforeAll(() => {
    fixture = makeFixture(registry);
  });
  afterAll(() => fixture.remove());

  for (const { name, kind, fence } of samplesOf(file)) {
    const code = fence.lines.join('\n');
    if (kind === 'npm') {
      it(`${name}: names only scripts that package.json has`, () => {
        expect(missingScripts(fence.lines)).toEqual([]);
      });
      continue;
    }
    it.skipIf(namesRegistry(code) && !hasRegistry)(`${name} runs`, () => {
      const { dir, env } = fixture;
      const source = rewriteHosts(code, registry);
      if (kind === 'shell') {
        const result = run('bash', ['-e', '-o', 'pipefail', '-c', source], { cwd: dir, env });
        expect(result.status, `${source}\n${result.report}`).toBe(0);
        return;
      }
      const loader = /^(ts|typescript)\b/.test(fence.info) ? 'ts' : 'js';
      const script = join(dir, `sample-${fence.line}.mjs`);
      writeFileSync(script, transformSync(source, { loader, format: 'esm' }).code);
      const result = run(process.execPath, [script], { cwd: dir, env });
      expect(result.status, `${source}\n${result.report}`).toBe(0);
      expect(missingLines(promisedOutput(source), result.stdout), `${source}\n${result.report}`).toEqual([]);
    });
  }
});

describe('the sample harness', () => {
  it('tells runnable blocks from npm scripts and illustrations', () => {
    const fence = (info: string, ...lines: string[]): Fence => ({ info, lines, line: 1 });
    expect(kindOf(fence('sh', 'wasm-meta show app.wasm'))).toBe('shell');
    expect(kindOf(fence('sh', 'npm ci && npm start  # comment', 'npm test'))).toBe('npm');
    expect(kindOf(fence('sh', 'npm ci', 'wasm-meta show app.wasm'))).toBe('shell');
    expect(kindOf(fence('ts', 'const a = 1;'))).toBe('module');
    expect(kindOf(fence('text', '$ wasm-meta show app.wasm'))).toBe('illustration');
    expect(kindOf(fence('', 'wasm-meta add [flags]'))).toBe('illustration');
    expect(missingScripts(['npm ci && npm start', 'npm run bench -- --quick', 'npm run nope'])).toEqual(['nope']);
  });

  it('checks what a console.log line promises, in order, with … as a wildcard', () => {
    const code = "console.log(a, b); // hello Apache-2.0\nconsole.log('x // y'); // { start: 0, end: … }";
    expect(promisedOutput(code)).toEqual(['hello Apache-2.0', '{ start: 0, end: … }']);
    expect(missingLines(promisedOutput(code), 'hello Apache-2.0\n{ start: 0, end: 1622286 }\n')).toEqual([]);
    expect(missingLines(promisedOutput(code), '{ start: 0, end: 1 }\nhello Apache-2.0\n')).toEqual([
      '{ start: 0, end: … }',
    ]);
    expect(missingLines(['hello MIT'], 'null null\n')).toEqual(['hello MIT']);
  });

  it('rewrites only the registry hosts of the samples', () => {
    const local = { host: '127.0.0.1:5999' } as TestRegistry;
    expect(rewriteHosts('wasm-meta pull ghcr.io/acme/app:1.2.0 -o app.wasm', local)).toBe(
      'wasm-meta pull 127.0.0.1:5999/acme/app:1.2.0 -o app.wasm',
    );
    expect(rewriteHosts('push app.wasm localhost:5000/acme/hello:1.2.0', local)).toBe(
      'push app.wasm 127.0.0.1:5999/acme/hello:1.2.0',
    );
  });
});
