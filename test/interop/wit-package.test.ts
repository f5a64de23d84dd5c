import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWasmArtifact } from '../../src/oci/wasm-artifact.js';
import { nodeSha256 } from '../../src/node/sha256.js';
import { readMetadata } from '../../src/read.js';
import { mayBeWitPackage, witPackageExports } from '../../src/sections/wit-package.js';
import { runCli } from '../support/cli.js';
import { loadJco } from '../support/interop.js';
import { type TestRegistry, registryAvailable, startRegistry } from '../support/registry.js';
import { REPO_ROOT } from '../support/shared.js';

const jco = await loadJco();
const scratch = mkdtempSync(join(tmpdir(), 'wasm-meta-wit-package-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** An instance type with one function, as an interface `ops { double: func(a: u32) -> u32 }` is encoded. */
const OPS = `(instance
  (type (;0;) (func (param "a" u32) (result u32)))
  (export (;0;) "double" (func (type 0))))`;

/**
 * The WIT package `acme:math@0.1.0`, in the (v2) encoding wit-component writes for
 *
 *     package acme:math@0.1.0;
 *     interface ops { double: func(a: u32) -> u32; }
 *     world calc { import ops; export run: func() -> string; export ops; }
 *
 * jco's wasm-tools assembles and validates it (and its `componentWit` refuses it with
 * "Unexpected wit package": wit-component decodes it as a package, not a component).
 */
const PACKAGE_WAT = `(component
  (type (;0;) (component (type (;0;) ${OPS}) (export (;0;) "acme:math/ops@0.1.0" (instance (type 0)))))
  (export (;1;) "ops" (type 0))
  (type (;2;)
    (component
      (type (;0;)
        (component
          (type (;0;) ${OPS})
          (import "acme:math/ops@0.1.0" (instance (;0;) (type 0)))
          (type (;1;) (func (result string)))
          (export (;1;) "run" (func (type 1)))
          (type (;2;) ${OPS})
          (export (;2;) "acme:math/ops@0.1.0" (instance (type 2)))))
      (export (;0;) "acme:math/calc@0.1.0" (component (type 0)))))
  (export (;3;) "calc" (type 2))
  (type (;4;)
    (component
      (type (;0;)
        (instance
          (type $pair (tuple u8 string))
          (type $pairs (list $pair))
          (type $point-def (record (field "x" s32) (field "y" $pairs)))
          (export "point" (type $point (eq $point-def)))
          (type $shape-def (variant (case "a") (case "b" u64)))
          (export "shape" (type $shape (eq $shape-def)))
          (type $mode-def (flags "r" "w"))
          (export "mode" (type $mode (eq $mode-def)))
          (type $side-def (enum "x" "y"))
          (export "side" (type $side (eq $side-def)))
          (export "res" (type $res (sub resource)))
          (type $outcome (result string (error u8)))
          (type $maybe (option $outcome))
          (type $owned (own $res))
          (type $borrowed (borrow $res))
          (type $make (func (param "p" $borrowed) (param "o" $maybe) (param "s" $shape) (result $owned)))
          (export (;0;) "make" (func (type $make)))))
      (export (;0;) "acme:math/shapes@0.1.0" (instance (type 0)))))
  (export (;5;) "shapes" (type 4))
)`;

/** What oci-wasm 0.3's `Component::from_package` lists for that package (a set: its order is a HashSet's). */
const OCI_WASM_EXPORTS = ['acme:math/ops@0.1.0', 'run', 'acme:math/calc@0.1.0', 'acme:math/shapes@0.1.0'];

describe.runIf(jco !== undefined)('WIT packages: exports qualified as oci-wasm writes them', () => {
  let bytes: Uint8Array;
  let path: string;
  beforeAll(async () => {
    bytes = await (jco as NonNullable<typeof jco>).parse(PACKAGE_WAT);
    path = join(scratch, 'math.wasm');
    writeFileSync(path, bytes);
  });

  it('finds the qualified interfaces, the world and its exports, where the export section has bare names', () => {
    const binary = readMetadata(bytes);
    expect(binary.exports.map((e) => e.name)).toEqual(['ops', 'calc', 'shapes']);
    expect(mayBeWitPackage(binary)).toBe(true);
    expect(witPackageExports(bytes)).toEqual([
      'acme:math/ops@0.1.0',
      'run',
      'acme:math/calc@0.1.0',
      'acme:math/shapes@0.1.0',
    ]);
    expect(new Set(witPackageExports(bytes))).toEqual(new Set(OCI_WASM_EXPORTS));
  });

  it('writes them into the config, with no imports', () => {
    const binary = readMetadata(bytes);
    const artifact = buildWasmArtifact(
      {
        binary,
        layer: { digest: `sha256:${'a'.repeat(64)}`, size: bytes.length },
        layerTitle: 'math.wasm',
        witPackageExports: witPackageExports(bytes),
      },
      nodeSha256,
    );
    const config = JSON.parse(new TextDecoder().decode(artifact.config.bytes));
    expect(config.component).toEqual({ exports: OCI_WASM_EXPORTS, imports: [], target: null });
  });

  it('leaves components, and what it cannot decode, to their bare names', async () => {
    const hello = new Uint8Array(readFileSync(join(REPO_ROOT, 'examples', 'hello.wasm')));
    expect(mayBeWitPackage(readMetadata(hello))).toBe(false);
    expect(witPackageExports(hello)).toBeUndefined();
    expect(witPackageExports(bytes.slice(0, bytes.length - 3))).toBeUndefined();
    const typeOnly = await (jco as NonNullable<typeof jco>).parse(
      '(component (type (;0;) (component)) (export (;1;) "empty" (type 0)))',
    );
    expect(mayBeWitPackage(readMetadata(typeOnly))).toBe(true);
    expect(witPackageExports(typeOnly)).toBeUndefined();
  });

  describe.runIf(registryAvailable())('pushed to a real registry', () => {
    let registry: TestRegistry;
    beforeAll(async () => {
      registry = await startRegistry();
    });
    afterAll(async () => registry?.stop());

    it('has the qualified exports in its config', async () => {
      const pushed = runCli(['push', path, `${registry.host}/acme/math:0.1.0`, '--json']);
      expect(pushed.status).toBe(0);
      const { manifest } = JSON.parse(pushed.stdout) as { manifest: { config: { digest: string } } };
      const response = await fetch(`${registry.url}/v2/acme/math/blobs/${manifest.config.digest}`);
      expect((await response.json()).component.exports).toEqual(OCI_WASM_EXPORTS);
    });
  });
});
