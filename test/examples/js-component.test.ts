import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMetadata } from '../../src/read.js';
import { copySources } from '../support/files.js';
import { HANG_MS } from '../support/hang.js';
import { type TestRegistry, registryAvailable, skopeoAvailable, startRegistry } from '../support/registry.js';
import { REPO_ROOT } from '../support/shared.js';

/**
 * examples/js-component as its users run it: `npm run build` (jco componentize, then
 * `wasm-meta add --from package.json`), `npm run check` and `npm run publish-oci`, in a copy of
 * the example that is a git repository of its own (so that the revision is known and no build
 * output lands in the checkout), with the example's installed node_modules linked in.
 */

const EXAMPLE = join(REPO_ROOT, 'examples', 'js-component');
const OCI = 'org.opencontainers.image.';
const USER = 'acme';
const PASSWORD = 'example-token';

/**
 * Whether `npm ci --prefix examples/js-component` has run. Without it the tests skip and say
 * so, unless WASM_META_REQUIRE_EXAMPLES is set (CI sets it), which makes that a failure.
 */
function exampleInstalled(): boolean {
  const found = existsSync(join(EXAMPLE, 'node_modules', '@bytecodealliance', 'jco', 'package.json'));
  if (!found) {
    const why = 'examples/js-component is not installed: run `npm ci --prefix examples/js-component` (.ci/run does)';
    if (process.env['WASM_META_REQUIRE_EXAMPLES']) throw new Error(`${why}; WASM_META_REQUIRE_EXAMPLES is set`);
    console.warn(`skipping the js-component example: ${why}`);
  }
  return found;
}

const installed = exampleInstalled();
/** Pushing needs the local registry (a failure in CI when missing, as in the OCI tests). */
const canPush = installed && registryAvailable() && skopeoAvailable();

const versionOf = (packageJson: string): string =>
  (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;

describe.runIf(installed)('examples/js-component', () => {
  let root: string;
  let project: string;
  let env: NodeJS.ProcessEnv;
  let registry: TestRegistry | undefined;
  let build: SpawnSyncReturns<string>;

  /** Runs a command in the copy of the example; a run that has not ended after HANG_MS fails as hung. */
  const run = (command: string, args: string[], extra: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> => {
    const result = spawnSync(command, args, { cwd: project, env: { ...env, ...extra }, encoding: 'utf8', timeout: HANG_MS });
    if (result.error !== undefined) throw new Error(`${command} ${args.join(' ')}: ${result.error.message}`);
    return result;
  };
  const report = (result: SpawnSyncReturns<string>): string =>
    `exit status ${result.status ?? result.signal}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
  const component = (): Uint8Array => new Uint8Array(readFileSync(join(project, 'dist', 'greeter.wasm')));
  const head = (): string => run('git', ['rev-parse', 'HEAD']).stdout.trim();

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'wasm-meta-js-component-'));
    project = join(root, 'greeter');
    copySources(EXAMPLE, project);
    symlinkSync(join(EXAMPLE, 'node_modules'), join(project, 'node_modules'));
    const home = join(root, 'home');
    mkdirSync(home);
    // A user's shell: none of the npm_* settings of the `npm test` that runs this, and no
    // credentials of the machine's own (Docker and wkg configuration in a home of its own).
    env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(npm_|WASM_META_)/i.test(key)));
    Object.assign(env, {
      HOME: home,
      DOCKER_CONFIG: join(home, '.docker'),
      XDG_CONFIG_HOME: join(home, '.config'),
      NO_UPDATE_NOTIFIER: '1',
      npm_config_update_notifier: 'false',
      GIT_AUTHOR_NAME: 'Ana Lima',
      GIT_AUTHOR_EMAIL: 'ana@example.com',
      GIT_COMMITTER_NAME: 'Ana Lima',
      GIT_COMMITTER_EMAIL: 'ana@example.com',
    });
    for (const args of [['init', '-q'], ['add', '.'], ['commit', '-q', '-m', 'greeter 0.3.0']]) {
      const result = run('git', args);
      if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${report(result)}`);
    }
    build = run('npm', ['run', 'build']);
    if (canPush) {
      registry = await startRegistry({ htpasswd: `${USER}:${bcrypt.hashSync(PASSWORD, 6)}\n` });
    }
  });

  afterAll(async () => {
    await registry?.stop();
    if (root !== undefined) rmSync(root, { recursive: true, force: true });
  });

  it('npm run build componentizes the source with jco and stamps it, saying what it set', () => {
    expect(build.status, report(build)).toBe(0);
    expect(build.stdout).toContain('OK Successfully written dist/greeter.wasm.');
    // add reports each field it set, and the file it wrote, on standard error.
    expect(build.stderr).toContain('licenses: set to "Apache-2.0"');
    expect(build.stderr).toContain(`revision: set to "${head()}"`);
    expect(build.stderr).toContain('wrote dist/greeter.wasm');
  });

  it("the component carries package.json's fields, git's revision and the builders' producers", () => {
    const tree = readMetadata(component());
    expect(tree.kind).toBe('component');
    // The world's one export; `--disable all` leaves out every WASI import.
    expect(tree.exports.map((e) => e.name)).toEqual(['greet']);
    expect(tree.imports.map((i) => i.name)).toEqual([]);
    expect({
      name: tree.name,
      authors: tree.authors,
      description: tree.description,
      licenses: tree.licenses,
      source: tree.source,
      homepage: tree.homepage,
      revision: tree.revision,
      version: tree.version,
    }).toEqual({
      name: 'greeter',
      authors: 'Ana Lima <ana@example.com>, Bo Chen <bo@example.com>',
      description: 'A WebAssembly component that greets you by name',
      licenses: 'Apache-2.0',
      source: 'https://github.com/acme/greeter',
      homepage: 'https://github.com/acme/greeter#readme',
      revision: head(),
      version: '0.3.0',
    });
    const componentizeJs = versionOf(join(EXAMPLE, 'node_modules', '@bytecodealliance', 'componentize-js', 'package.json'));
    expect(tree.producers?.get('language')?.get('JavaScript')).toBe('');
    expect(tree.producers?.get('processed-by')?.get('ComponentizeJS')).toBe(componentizeJs);
    expect(tree.producers?.get('processed-by')?.get('wasm-meta')).toBe(versionOf(join(REPO_ROOT, 'package.json')));
  });

  it('the stamped component still runs: jco transpiles it, and greet answers in Node.js', () => {
    const out = join(root, 'transpiled');
    const transpiled = run('npx', ['--no', 'jco', 'transpile', 'dist/greeter.wasm', '-o', out, '--quiet']);
    expect(transpiled.status, report(transpiled)).toBe(0);
    const script = `import { greet } from ${JSON.stringify(pathToFileURL(join(out, 'greeter.js')).href)};\nconsole.log(greet('Bo'));`;
    const greeted = run(process.execPath, ['--input-type=module', '-e', script]);
    expect(greeted.status, report(greeted)).toBe(0);
    expect(greeted.stdout).toBe('Hello, Bo!\n');
  });

  it('npm run check passes, and fails with exit status 3 once package.json moves on without a rebuild', () => {
    const checked = run('npm', ['run', 'check']);
    expect(checked.status, report(checked)).toBe(0);
    expect(checked.stdout).toContain('ok: dist/greeter.wasm');
    const manifest = join(project, 'package.json');
    const text = readFileSync(manifest, 'utf8');
    writeFileSync(manifest, text.replace('"version": "0.3.0"', '"version": "0.3.1"'));
    try {
      // `npm run check -- --json`: npm passes the flag on to wasm-meta check.
      const stale = run('npm', ['run', '--silent', 'check', '--', '--json']);
      expect(stale.status, report(stale)).toBe(3);
      const fields = (JSON.parse(stale.stdout) as { fields: Array<{ field: string; status: string; reason: string }> })
        .fields;
      expect(fields.filter((field) => field.status !== 'ok')).toEqual([
        expect.objectContaining({ field: 'version', status: 'differs', reason: 'expected "0.3.1", found "0.3.0"' }),
      ]);
    } finally {
      writeFileSync(manifest, text);
    }
  });

  it.runIf(canPush)('npm run publish-oci pushes it to $REGISTRY with the annotations of its sections', () => {
    const host = (registry as TestRegistry).host;
    const pushed = run('npm', ['run', 'publish-oci'], {
      REGISTRY: `${host}/acme`,
      WASM_META_USERNAME: USER,
      WASM_META_PASSWORD: PASSWORD,
    });
    expect(pushed.status, report(pushed)).toBe(0);
    const reference = `${host}/acme/greeter:0.3.0`;
    expect(pushed.stdout).toContain(`pushed ${reference}`);
    expect(pushed.stdout + pushed.stderr).not.toContain(PASSWORD);
    // Read back independently of wasm-meta.
    const raw = spawnSync(
      'skopeo',
      ['inspect', '--raw', '--tls-verify=false', '--creds', `${USER}:${PASSWORD}`, `docker://${reference}`],
      { encoding: 'utf8', timeout: HANG_MS },
    );
    expect(raw.status, raw.stderr).toBe(0);
    const imageManifest = JSON.parse(raw.stdout) as { annotations: Record<string, string> };
    expect(imageManifest.annotations).toEqual({
      [`${OCI}authors`]: 'Ana Lima <ana@example.com>, Bo Chen <bo@example.com>',
      [`${OCI}description`]: 'A WebAssembly component that greets you by name',
      [`${OCI}licenses`]: 'Apache-2.0',
      [`${OCI}revision`]: head(),
      [`${OCI}source`]: 'https://github.com/acme/greeter',
      [`${OCI}title`]: 'greeter',
      [`${OCI}url`]: 'https://github.com/acme/greeter#readme',
      [`${OCI}version`]: '0.3.0',
    });
  });
});

describe('docs/recipes.md', () => {
  it("shows examples/js-component's scripts as package.json has them", () => {
    const { scripts } = JSON.parse(readFileSync(join(EXAMPLE, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const recipes = readFileSync(join(REPO_ROOT, 'docs', 'recipes.md'), 'utf8');
    expect(Object.keys(scripts)).toEqual(['build', 'check', 'publish-oci']);
    for (const [name, command] of Object.entries(scripts)) {
      expect(recipes).toContain(`${JSON.stringify(name)}: ${JSON.stringify(command)}`);
    }
  });
});
