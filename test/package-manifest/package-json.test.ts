import { describe, expect, it } from 'vitest';
import type { FieldName } from '../../src/fields.js';
import { mapPackageJson } from '../../src/package-manifest/package-json.js';

const map = (json: unknown, skip: FieldName[] = []) => mapPackageJson(json, { skip });
const source = (repository: unknown) => map({ repository }).edit.source;

describe('package.json repository', () => {
  it.each([
    ['github:acme/hello', 'https://github.com/acme/hello'],
    ['acme/hello', 'https://github.com/acme/hello'],
    ['gitlab:acme/hello', 'https://gitlab.com/acme/hello'],
    ['bitbucket:acme/hello', 'https://bitbucket.org/acme/hello'],
    ['git+ssh://git@github.com/acme/hello.git#v1', 'https://github.com/acme/hello'],
    ['git://github.com/acme/hello.git', 'https://github.com/acme/hello'],
    ['https://github.com/acme/hello.git', 'https://github.com/acme/hello'],
    ['git@github.com:acme/hello.git', 'https://github.com/acme/hello'],
    ['git+https://git.example.org/acme/hello.git', 'https://git.example.org/acme/hello'],
    ['https://user:pass@git.example.org/acme/hello.git', 'https://git.example.org/acme/hello'],
    ['http://Example.ORG/x', 'http://example.org/x'],
  ])('%s is %s', (repository, url) => {
    expect(source(repository)).toBe(url);
    expect(source({ type: 'git', url: repository, directory: 'packages/x' })).toBe(url);
  });

  it.each(['git@host.example:x.git', 'svn://svn.example.org/repo', 'file:///srv/git/x'])('rejects %s', (repository) => {
    expect(() => source(repository)).toThrow(/repository: .* is not a repository URL that can be browsed/);
  });

  it('reports the key of the object form', () => {
    expect(() => source({ url: 'svn://x' })).toThrow(/^package\.json: repository\.url: /);
  });
});

describe('package.json values', () => {
  it('treats empty values as absent', () => {
    expect(
      map({ name: '', description: '', author: '', contributors: [], license: '', repository: '', homepage: '' }).edit,
    ).toEqual({
      producers: [{ field: 'processed-by', name: 'wasm-meta', version: expect.any(String) }],
    });
  });

  it('rejects values of the wrong type, naming the key', () => {
    expect(() => map({ version: 1 })).toThrow(/^package\.json: version: expected a string, found a number \(1\)$/);
    expect(() => map({ contributors: 'Ada' })).toThrow(/contributors: expected an array/);
    expect(() => map({ author: { name: 3 } })).toThrow(/author\.name: expected a string/);
    expect(() => map([])).toThrow(/expected a JSON object/);
  });

  it('uses the deprecated licenses array only when license is absent', () => {
    expect(map({ license: 'MIT', licenses: [{ type: 'ISC' }] }).edit.licenses).toBe('MIT');
    expect(map({ licenses: [{ type: 'ISC' }] }).edit.licenses).toBe('ISC');
  });

  it('corrects each licence of the deprecated licenses array, with a warning naming both', () => {
    const result = map({ licenses: [{ type: 'MIT' }, { type: 'GPL-2.0' }] });
    expect(result.edit.licenses).toBe('MIT OR GPL-2.0-only');
    expect(result.warnings).toEqual(['package.json: licenses: "MIT OR GPL-2.0" corrected to "MIT OR GPL-2.0-only"']);
    expect(map({ license: 'MIT' }).warnings).toEqual([]);
    expect(() => map({ license: 'MIT/Apache-2.0' })).toThrow(/^package\.json: license: "MIT\/Apache-2\.0" is not an/);
  });

  it('takes gitHead as the revision, and asks for git otherwise', () => {
    expect(map({ gitHead: 'abc' }).revisionFromGit).toBe(false);
    expect(map({}).revisionFromGit).toBe(true);
    expect(map({}, ['revision']).revisionFromGit).toBe(false);
  });

  it('rejects relative homepages', () => {
    expect(() => map({ homepage: 'hello.example' })).toThrow(
      /^package\.json: homepage: "hello\.example" is not an absolute URL$/,
    );
  });
});
