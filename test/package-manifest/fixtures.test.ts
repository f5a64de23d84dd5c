import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { MetadataEdit } from '../../src/edit/edit.js';
import { WasmMetaError } from '../../src/errors.js';
import { readPackageManifest } from '../../src/node/package-manifest.js';
import { VERSION } from '../../src/version.js';
import { REPO_ROOT } from '../support/shared.js';

// Fixtures are imported from a copy outside any git repository, so that no revision is found.
const scratch = mkdtempSync(join(tmpdir(), 'wasm-meta-manifests-'));
cpSync(join(REPO_ROOT, 'test', 'fixtures', 'manifests'), scratch, { recursive: true });
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const WASM_META = { field: 'processed-by', name: 'wasm-meta', version: VERSION } as const;
const RUST = { field: 'language', name: 'Rust', version: '', ifAbsent: true } as const;
const noGit = (dir: string) => `revision not written: ${join(scratch, dir)} is not in a git repository`;

interface Case {
  manifest: string;
  edit: MetadataEdit;
  warnings?: RegExp[];
  /** Whether a git revision was looked for (and, here, not found). */
  git?: boolean;
}

const CASES: Case[] = [
  {
    manifest: 'npm-spec-example/package.json',
    edit: {
      name: '@acme/hello',
      version: '1.2.0',
      description: 'Says hello',
      authors: 'Ada Lovelace <ada@example.com> (https://ada.example), Bo <bo@example.com>',
      licenses: 'MIT OR Apache-2.0',
      source: 'https://github.com/acme/hello',
      homepage: 'https://github.com/acme/hello#readme',
      revision: '0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2ff',
      producers: [WASM_META],
    },
    git: false,
  },
  {
    manifest: 'npm-unlicensed-shorthand/package.json',
    edit: { name: 'hello', version: '0.0.1', source: 'https://github.com/acme/hello', producers: [WASM_META] },
    warnings: [/package\.json: license: "UNLICENSED" is not an SPDX expression; licenses not written$/],
  },
  // A licence npm would correct is corrected, with a warning that names both; one per kind.
  {
    manifest: 'npm-deprecated-license/package.json',
    edit: { name: 'hello', version: '1.0.0', licenses: 'GPL-2.0-only', producers: [WASM_META] },
    warnings: [/package\.json: license: "GPL-2\.0" corrected to "GPL-2\.0-only"$/],
  },
  {
    manifest: 'cargo-deprecated-license/Cargo.toml',
    edit: { name: 'old-licence', version: '0.1.0', licenses: 'MIT OR GPL-2.0-or-later', producers: [RUST, WASM_META] },
    warnings: [/Cargo\.toml: package\.license: "MIT OR GPL-2\.0\+" corrected to "MIT OR GPL-2\.0-or-later"$/],
  },
  {
    manifest: 'pyproject-misspelt-license/pyproject.toml',
    edit: { name: 'misspelt', version: '1.0', licenses: 'Apache-2.0', producers: [WASM_META] },
    warnings: [/pyproject\.toml: project\.license: "Apache 2" corrected to "Apache-2\.0"$/],
  },
  {
    manifest: 'pyproject-legacy-license-text/pyproject.toml',
    edit: { name: 'legacy-text', version: '1.0', licenses: 'Apache-2.0', producers: [WASM_META] },
    warnings: [/pyproject\.toml: project\.license\.text: "Apache License, Version 2\.0" corrected to "Apache-2\.0"$/],
  },
  {
    manifest: 'wkg-deprecated-license/wkg.toml',
    edit: { licenses: 'LGPL-2.1-only', producers: [WASM_META] },
    warnings: [/wkg\.toml: metadata\.licenses: "LGPL-2\.1" corrected to "LGPL-2\.1-only"$/],
    git: false,
  },
  {
    manifest: 'npm-see-license/package.json',
    edit: {
      name: 'hello',
      source: 'https://github.com/acme/hello',
      homepage: 'https://hello.example/',
      producers: [WASM_META],
    },
    warnings: [/license: "SEE LICENSE IN LICENSE.txt" is not an SPDX expression/],
  },
  {
    manifest: 'npm-licenses-array/package.json',
    edit: {
      name: 'old-style',
      licenses: 'MIT OR Apache-2.0',
      source: 'https://gitlab.com/acme/old-style',
      producers: [WASM_META],
    },
  },
  {
    manifest: 'npm-init/package.json',
    edit: { name: 'fresh', version: '1.0.0', licenses: 'ISC', producers: [WASM_META] },
  },
  {
    manifest: 'npm-people/package.json',
    edit: {
      name: 'people',
      authors: 'Ada Lovelace <ada@example.com> (https://ada.example), Bo, <cy@example.com>, Di (https://di.example)',
      licenses: 'BSD-3-Clause',
      source: 'https://git.example.org/acme/people',
      producers: [WASM_META],
    },
  },
  {
    manifest: 'cargo-workspace/hello/Cargo.toml',
    edit: {
      name: 'hello',
      version: '0.3.1',
      authors: 'Ada <ada@example.com>,Bo',
      description: 'Says hello',
      licenses: 'Apache-2.0 WITH LLVM-exception',
      source: 'https://github.com/acme/tools',
      producers: [RUST, WASM_META],
    },
  },
  {
    manifest: 'cargo-explicit-workspace/member/Cargo.toml',
    edit: { name: 'member', version: '2.0.0', homepage: 'https://tools.example/', producers: [RUST, WASM_META] },
  },
  {
    manifest: 'cargo-simple/Cargo.toml',
    edit: {
      name: 'simple',
      version: '0.0.0',
      authors: 'Ada <ada@example.com>,Bo',
      description: 'Multi-line description.',
      licenses: 'MIT OR Apache-2.0',
      producers: [RUST, WASM_META],
    },
  },
  {
    manifest: 'pyproject-spec/pyproject.toml',
    edit: {
      name: 'hello-wasm',
      version: '0.4.0',
      description: 'Says hello',
      authors: 'Ada <ada@example.com>, ops@example.com',
      licenses: 'MIT',
      homepage: 'https://hello.example/',
      source: 'https://github.com/acme/hello',
      documentation: 'https://hello.example/docs',
      producers: [WASM_META],
    },
  },
  {
    manifest: 'pyproject-legacy-license/pyproject.toml',
    edit: {
      name: 'legacy',
      version: '1.0',
      authors: 'Ada <ada@example.com>, Mo',
      licenses: 'Apache-2.0',
      homepage: 'https://first.example/',
      source: 'https://github.com/acme/legacy',
      producers: [WASM_META],
    },
  },
  {
    manifest: 'pyproject-license-file/pyproject.toml',
    edit: { name: 'file-license', producers: [WASM_META] },
    warnings: [
      /project\.version: is dynamic and \[tool\.poetry\] has no version; version not written$/,
      /project\.license\.file: a licence file is not an SPDX expression; licenses not written$/,
    ],
  },
  {
    manifest: 'pyproject-poetry/pyproject.toml',
    edit: {
      name: 'poetry-app',
      version: '2.1.0',
      description: 'A Poetry project',
      authors: 'Ada <ada@example.com>, Bo <bo@example.com>',
      licenses: 'BSD-2-Clause',
      homepage: 'https://poetry-app.example/',
      source: 'https://github.com/acme/poetry-app',
      documentation: 'https://poetry-app.example/docs',
      producers: [WASM_META],
    },
  },
  {
    manifest: 'wkg-spec/wkg.toml',
    edit: {
      authors: 'WasmPkg',
      licenses: 'Apache-2.0',
      source: 'https://github.com/acme/wit',
      revision: 'f00ba4',
      producers: [WASM_META],
    },
    git: false,
  },
  {
    manifest: 'wkg-workspace/wkg.toml',
    edit: {
      authors: 'ACME Wasm Team',
      licenses: 'Apache-2.0',
      source: 'https://github.com/acme/components',
      description: 'Shared description',
      producers: [WASM_META],
    },
    git: false,
  },
  {
    manifest: 'wkg-workspace/components/greeter/wkg.toml',
    edit: {
      authors: 'ACME Wasm Team',
      description: 'Greets people',
      licenses: 'Apache-2.0',
      source: 'https://github.com/acme/components',
      homepage: 'https://acme.example/greeter',
      producers: [WASM_META],
    },
    git: false,
  },
  {
    manifest: 'real/jco-transpile/package.json',
    edit: {
      name: '@bytecodealliance/jco-transpile',
      version: '0.15.0',
      description: 'WebAssembly Component transpilation functionality for Jco',
      authors:
        'Guy Bedford, Eduardo Rodrigues <16357187+eduardomourar@users.noreply.github.com>, Victor Adossi <vadossi@cosmonic.com>',
      licenses: '(Apache-2.0 WITH LLVM-exception)',
      source: 'https://github.com/bytecodealliance/jco',
      homepage: 'https://github.com/bytecodealliance/jco#readme',
      producers: [WASM_META],
    },
  },
  {
    manifest: 'real/esbuild-wasm/package.json',
    edit: {
      name: 'esbuild-wasm',
      version: '0.28.2',
      description: 'The cross-platform WebAssembly binary for esbuild, a JavaScript bundler.',
      licenses: 'MIT',
      source: 'https://github.com/evanw/esbuild',
      producers: [WASM_META],
    },
  },
  {
    manifest: 'real/wasm-pkg-tools/crates/wkg/Cargo.toml',
    edit: {
      name: 'wkg',
      version: '0.5.1',
      authors: 'The Wasmtime Project Developers',
      description: 'Wasm Package Tools CLI',
      licenses: 'Apache-2.0 WITH LLVM-exception',
      source: 'https://github.com/bytecodealliance/wasm-pkg-tools/tree/main/crates/wkg',
      producers: [RUST, WASM_META],
    },
  },
  {
    manifest: 'real/wasmtime-py/pyproject.toml',
    edit: {
      name: 'wasmtime',
      description: 'A WebAssembly runtime powered by Wasmtime',
      authors: 'The Wasmtime Project Developers <hello@bytecodealliance.org>',
      licenses: 'Apache-2.0 WITH LLVM-exception',
      homepage: 'https://github.com/bytecodealliance/wasmtime-py',
      documentation: 'https://bytecodealliance.github.io/wasmtime-py/',
      producers: [WASM_META],
    },
    warnings: [/project\.version: is dynamic/],
  },
];

describe('manifest fixtures give exactly the expected sections', () => {
  it.each(CASES)('$manifest', async ({ manifest, edit, warnings = [], git = true }) => {
    const result = await readPackageManifest(join(scratch, manifest));
    expect(result.edit).toEqual(edit);
    expect(result.warnings).toHaveLength(warnings.length);
    warnings.forEach((pattern, i) => expect(result.warnings[i]).toMatch(pattern));
    expect(result.notes).toEqual(git ? [noGit(manifest.split('/').slice(0, -1).join('/'))] : []);
  });
});

const ERRORS: Array<[string, RegExp]> = [
  [
    'cargo-bad-license/Cargo.toml',
    /Cargo\.toml: package\.license: "MIT\/Apache-2\.0" is not an SPDX licence expression/,
  ],
  [
    'cargo-virtual/Cargo.toml',
    /Cargo\.toml: \(top level\): is a virtual workspace manifest: give the Cargo\.toml of a member$/,
  ],
  [
    'cargo-missing-key/hello/Cargo.toml',
    /hello\/Cargo\.toml: package\.license\.workspace: no \[workspace\.package\]\.license in .*cargo-missing-key\/Cargo\.toml$/,
  ],
  ['wkg-alias-twice/wkg.toml', /wkg\.toml: metadata\.licenses: given twice \(licenses and its alias license\)$/],
  ['real/wasm-pkg-tools-wasi-http/wkg.toml', /wkg\.toml: metadata\.categories: unknown key \(wkg rejects it too\)$/],
];

describe('invalid manifests are errors that name the file and the key', () => {
  it.each(ERRORS)('%s', async (manifest, message) => {
    const error = await readPackageManifest(join(scratch, manifest)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WasmMetaError);
    expect((error as WasmMetaError).code).toBe('invalid-package-manifest');
    expect((error as WasmMetaError).message).toMatch(message);
    expect((error as WasmMetaError).message.startsWith(join(scratch, manifest))).toBe(true);
  });

  it('does not read or check keys that explicit flags override', async () => {
    const result = await readPackageManifest(join(scratch, 'npm-deprecated-license/package.json'), {
      skip: ['licenses'],
    });
    expect(result.edit).toEqual({ name: 'hello', version: '1.0.0', producers: [WASM_META] });
    const cargo = await readPackageManifest(join(scratch, 'cargo-missing-key/hello/Cargo.toml'), {
      skip: ['licenses'],
    });
    expect(cargo.edit.version).toBe('1.0.0');
  });
});
