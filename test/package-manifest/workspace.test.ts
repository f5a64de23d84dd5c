import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { mapCargo } from '../../src/package-manifest/cargo.js';
import { mapWkg } from '../../src/package-manifest/wkg.js';
import { REPO_ROOT } from '../support/shared.js';

/** A fixture manifest, parsed as a caller of the mappers would. */
const toml = (path: string) =>
  parse(readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'manifests', path), 'utf8')) as Record<string, unknown>;

describe('the mappers take the workspace root as a parsed manifest', () => {
  it('mapCargo inherits [workspace.package] keys from options.workspace', () => {
    const member = toml('cargo-workspace/hello/Cargo.toml');
    const { edit, warnings, revisionFromGit } = mapCargo(member, { workspace: toml('cargo-workspace/Cargo.toml') });
    expect(edit).toMatchObject({
      name: 'hello',
      description: 'Says hello',
      version: '0.3.1',
      authors: 'Ada <ada@example.com>,Bo',
      licenses: 'Apache-2.0 WITH LLVM-exception',
      source: 'https://github.com/acme/tools',
    });
    expect(warnings).toEqual([]);
    expect(revisionFromGit).toBe(true);
  });

  it('mapCargo names the workspace root in messages, by default and as options.workspaceFile', () => {
    const member = toml('cargo-workspace/hello/Cargo.toml');
    expect(() => mapCargo(member)).toThrow(
      /^Cargo\.toml: package\.version\.workspace: no workspace root \(a Cargo\.toml with \[workspace\]\) was found$/,
    );
    const root = { workspace: { package: { version: '1.0.0' } } };
    expect(() => mapCargo(member, { workspace: root })).toThrow(
      /^Cargo\.toml: package\.authors\.workspace: no \[workspace\.package\]\.authors in workspace Cargo\.toml$/,
    );
    expect(() =>
      mapCargo(member, { workspace: root, workspaceFile: '../Cargo.toml', file: 'hello/Cargo.toml' }),
    ).toThrow(
      /^hello\/Cargo\.toml: package\.authors\.workspace: no \[workspace\.package\]\.authors in \.\.\/Cargo\.toml$/,
    );
    expect(() => mapCargo(member, { workspace: { workspace: { package: 'x' } } })).toThrow(
      /workspace Cargo\.toml: workspace\.package: expected a table/,
    );
  });

  it('mapWkg takes [workspace.metadata] of options.workspace, the member winning', () => {
    const member = toml('wkg-workspace/components/greeter/wkg.toml');
    const root = toml('wkg-workspace/wkg.toml');
    expect(mapWkg(member).edit).not.toHaveProperty('licenses');
    const { edit } = mapWkg(member, { workspace: root });
    expect(edit).toMatchObject({
      description: 'Greets people',
      homepage: 'https://acme.example/greeter',
      authors: 'ACME Wasm Team',
      licenses: 'Apache-2.0',
      source: 'https://github.com/acme/components',
    });
    expect(() => mapWkg(member, { workspace: { workspace: { metadata: { colour: 'red' } } } })).toThrow(
      /^wkg\.toml: workspace wkg\.toml: workspace\.metadata\.colour: unknown key/,
    );
  });
});
