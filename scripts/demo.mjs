// `npm start`: what wasm-meta is for, on one screen. It stamps a copy of the example component
// with the metadata of its package manifest (examples/package.json), which prints each field it
// set, shows the OCI annotations `push` would set from them, and says where to go next. Every step
// runs the real command (bin/wasm-meta.js), without a shell, and is printed as the command line a
// reader can copy ($tmp stands for the temporary directory). The shipped example is never written.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'wasm-meta.js');
const MANIFEST = 'examples/package.json';

/** A failed step: its exit status becomes the demo's. */
class StepFailed extends Error {
  constructor(status) {
    super(`a step failed with exit status ${status}`);
    this.status = status;
  }
}

/** Runs `wasm-meta ARGS` from the repository root, printing its command line first; returns its output. */
function wasmMeta(args, { tmp, comment = '' }) {
  const shown = args.map((arg) => arg.replace(tmp, '$tmp')).join(' ');
  console.log(`$ wasm-meta ${shown}${comment === '' ? '' : `   # ${comment}`}`);
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8' });
  // add reports what it changed on standard error; the demo shows it in line with the rest, so
  // that the page reads in order whatever the terminal does with two streams.
  process.stdout.write((result.stderr ?? '').replaceAll(tmp, '$tmp'));
  if (result.status !== 0) throw new StepFailed(result.status ?? 1);
  return result.stdout;
}

const tmp = mkdtempSync(join(tmpdir(), 'wasm-meta-demo-'));
try {
  console.log('wasm-meta carries package metadata from a package manifest into a WebAssembly');
  console.log("component, and from the component into a registry's OCI annotations.\n");
  console.log('$ tmp=$(mktemp -d) && cp examples/hello.wasm $tmp/');
  copyFileSync(join(ROOT, 'examples', 'hello.wasm'), join(tmp, 'hello.wasm'));
  const file = join(tmp, 'hello.wasm');
  wasmMeta(['add', file, '--in-place', '--from', MANIFEST], { tmp });
  process.stdout.write(wasmMeta(['annotations', file], { tmp, comment: 'what push would set' }));
  console.log('\nNext (in this checkout, wasm-meta is npx wasm-meta):');
  console.log('  in CI     wasm-meta check dist/app.wasm --from package.json --require licenses');
  console.log('  publish   wasm-meta push dist/app.wasm ghcr.io/acme/app:1.2.0  # these annotations');
  console.log('  read on   README.md, docs/cli.md (every command), docs/registries.md');
} catch (error) {
  if (!(error instanceof StepFailed)) throw error;
  process.exitCode = error.status;
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
