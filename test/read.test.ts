import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { WasmMetaError } from '../src/errors.js';
import { LIMITS } from '../src/limits.js';
import { binariesOf, diagnosticsOf } from '../src/metadata.js';
import { readMetadata } from '../src/read.js';
import {
  bytes,
  component,
  custom,
  leb,
  module,
  nameSubsection,
  nested,
  producersData,
  section,
  str,
} from './support/wasm.js';

function errorOf(input: number[]): WasmMetaError {
  try {
    readMetadata(bytes(input));
  } catch (error) {
    if (error instanceof WasmMetaError) return error;
    throw error;
  }
  throw new Error('expected a WasmMetaError');
}

describe('readMetadata: the tree', () => {
  it('reads an empty module', () => {
    const tree = readMetadata(bytes(module()));
    expect(tree).toMatchObject({
      kind: 'module',
      range: { start: 0, end: 8 },
      name: null,
      producers: null,
      children: [],
    });
    expect(tree.diagnostics).toEqual([]);
  });

  it('reports nested binaries with the ranges of their own preambles, at any depth', () => {
    const inner = module(custom('name', nameSubsection('inner')));
    const middle = component(custom('component-name', nameSubsection('middle')), nested(inner));
    const input = component(custom('component-name', nameSubsection('outer')), nested(module()), nested(middle));
    const tree = readMetadata(bytes(input));
    const outerName = custom('component-name', nameSubsection('outer')).length;
    const first = 8 + outerName + 2; // id byte and one-byte size of the first nested module
    const second = first + 8 + 2;
    expect(Array.from(binariesOf(tree), (b) => [b.kind, b.name, b.range.start, b.range.end])).toEqual([
      ['component', 'outer', 0, input.length],
      ['module', null, first, first + 8],
      ['component', 'middle', second, second + middle.length],
      ['module', 'inner', second + middle.length - inner.length, second + middle.length],
    ]);
    expect(tree.children[1]?.children).toHaveLength(1);
  });

  it('reads every metadata field, each from its own section', () => {
    const input = module(
      custom('name', nameSubsection('foo')),
      custom(
        'producers',
        producersData([
          ['language', [['bar', '1']]],
          ['sdk', [['my-sdk', '2']]],
        ]),
      ),
      custom('authors', 'Chashu Cat'),
      custom('description', 'Chashu likes tuna'),
      custom('licenses', 'Apache-2.0 WITH LLVM-exception OR Apache-2.0 OR MIT'),
      custom('source', 'https://github.com/bytecodealliance/wasm-tools'),
      custom('homepage', 'https://Example.com'),
      custom('revision', 'de978e17a80c1118f606fce919ba9b7d5a04a5ad'),
      custom('version', '1.0.0'),
      custom('documentation', 'https://docs.example.com/x'),
      custom('vendor', 'ACME'),
      custom('created', '2026-01-01T00:00:00Z'),
      custom('.dep-v0', deflateSync('{"packages":[{"name":"adler","version":"0.2.3","source":"registry"}]}')),
    );
    const tree = readMetadata(bytes(input));
    expect(tree).toMatchObject({
      name: 'foo',
      authors: 'Chashu Cat',
      description: 'Chashu likes tuna',
      licenses: 'Apache-2.0 WITH LLVM-exception OR Apache-2.0 OR MIT',
      source: 'https://github.com/bytecodealliance/wasm-tools',
      homepage: 'https://example.com/',
      revision: 'de978e17a80c1118f606fce919ba9b7d5a04a5ad',
      version: '1.0.0',
      documentation: 'https://docs.example.com/x',
      vendor: 'ACME',
      created: '2026-01-01T00:00:00Z',
      legacy: null,
    });
    expect(tree.producers?.get('sdk')?.get('my-sdk')).toBe('2');
    expect(tree.dependencies?.packages[0]?.name).toBe('adler');
    expect(tree.diagnostics).toEqual([]);
  });

  it('gives each binary its own metadata', () => {
    const input = component(
      custom('description', 'outer'),
      nested(module(custom('description', 'inner'), custom('producers', producersData([['language', [['C11', '']]]])))),
    );
    const tree = readMetadata(bytes(input));
    expect(tree.description).toBe('outer');
    expect(tree.producers).toBeNull();
    expect(tree.children[0]?.description).toBe('inner');
    expect(tree.children[0]?.producers?.get('language')?.has('C11')).toBe(true);
  });

  it('takes the last section when one occurs twice', () => {
    const tree = readMetadata(
      bytes(
        module(
          custom('version', '1'),
          custom('version', '2'),
          custom('name', nameSubsection('a')),
          custom('name', nameSubsection('b')),
        ),
      ),
    );
    expect(tree.version).toBe('2');
    expect(tree.name).toBe('b');
  });

  it('names a component from a core name section and keeps a name when a later name section has none', () => {
    const functionNames = [1, ...leb(4), ...leb(1), ...leb(0), ...str('f')];
    const tree = readMetadata(
      bytes(component(custom('name', nameSubsection('core-named')), custom('component-name', functionNames))),
    );
    expect(tree.name).toBe('core-named');
  });

  it('accepts padded section sizes (as the Go toolchain writes them)', () => {
    const input = module(section(0, [...str('authors'), ...Buffer.from('Go')], 5), section(1, [0x00], 5));
    expect(readMetadata(bytes(input)).authors).toBe('Go');
  });

  it('ignores unknown custom sections and skips non-custom sections', () => {
    const tree = readMetadata(
      bytes(module(custom('target_features', [1, 2, 3]), section(10, [0, 1, 2, 3]), custom('authors', 'x'))),
    );
    expect(tree.authors).toBe('x');
    expect(tree.diagnostics).toEqual([]);
  });

  it('reads imports and exports of components and of nested modules', () => {
    const componentImports = section(10, [...leb(1), 0x00, ...str('wasi:cli/environment@0.2.0'), 0x05, ...leb(0)]);
    const componentExports = section(11, [...leb(1), 0x00, ...str('greet'), 0x01, ...leb(0), 0x00]);
    const coreImports = section(2, [...leb(1), ...str('env'), ...str('memory'), 0x02, 0x00, ...leb(1)]);
    const coreExports = section(7, [...leb(1), ...str('run'), 0x00, ...leb(0)]);
    const tree = readMetadata(
      bytes(component(componentImports, nested(module(coreImports, coreExports)), componentExports)),
    );
    expect(tree.imports).toEqual([{ name: 'wasi:cli/environment@0.2.0', kind: 'instance' }]);
    expect(tree.exports).toEqual([{ name: 'greet', kind: 'func' }]);
    expect(tree.children[0]?.imports).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
    expect(tree.children[0]?.exports).toEqual([{ name: 'run', kind: 'func' }]);
  });
});

describe('readMetadata: legacy sections', () => {
  it('uses the legacy author section when there is no authors section', () => {
    const tree = readMetadata(bytes(module(custom('author', 'Old Name'))));
    expect(tree.authors).toBe('Old Name');
    expect(tree.legacy).toEqual({ author: 'Old Name', registryMetadata: null });
    const both = readMetadata(bytes(module(custom('authors', 'New'), custom('author', 'Old'))));
    expect(both.authors).toBe('New');
  });

  it('reports registry-metadata as stored', () => {
    const json = '{"authors":["A","B"],"license":"MIT","links":[{"ty":"Homepage","value":"https://x.dev"}]}';
    const tree = readMetadata(bytes(module(custom('registry-metadata', json))));
    expect(tree.legacy?.registryMetadata).toEqual(JSON.parse(json));
    expect(tree.authors).toBeNull();
  });
});

describe('readMetadata: invalid metadata is a diagnostic, or an error with strict', () => {
  const licenses = custom('licenses', 'MIT/Apache-2.0');
  const input = module(custom('authors', 'ok'), licenses, custom('description', [0xff]));

  it('reports invalid values as null with a diagnostic at the section offset, and reads on', () => {
    const tree = readMetadata(bytes(input));
    expect(tree.authors).toBe('ok');
    expect(tree.licenses).toBeNull();
    expect(tree.description).toBeNull();
    const licensesAt = 8 + custom('authors', 'ok').length;
    expect(diagnosticsOf(tree)).toEqual([
      {
        offset: licensesAt,
        section: 'licenses',
        message: expect.stringMatching(/is not an SPDX licence expression/),
      },
      { offset: licensesAt + licenses.length, section: 'description', message: 'value is not valid UTF-8' },
    ]);
  });

  it('keeps a later valid value, and clears an earlier one when the last is invalid', () => {
    const tree = readMetadata(
      bytes(
        module(
          custom('source', 'nope'),
          custom('source', 'https://a.dev/'),
          custom('homepage', 'https://b.dev/'),
          custom('homepage', 'nope'),
        ),
      ),
    );
    expect(tree.source).toBe('https://a.dev/');
    expect(tree.homepage).toBeNull();
    expect(tree.diagnostics.map((d) => d.section)).toEqual(['source', 'homepage']);
  });

  it('turns the first diagnostic into an error in strict mode', () => {
    try {
      readMetadata(bytes(input), { strict: true });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(WasmMetaError);
      expect((error as WasmMetaError).code).toBe('invalid-metadata');
      expect((error as WasmMetaError).offset).toBe(8 + custom('authors', 'ok').length);
      expect((error as WasmMetaError).message).toMatch(
        /^invalid `licenses` section: "MIT\/Apache-2.0" is not an SPDX licence expression/,
      );
    }
  });

  it('reports malformed producers, name, import and oversized sections as diagnostics', () => {
    const tree = readMetadata(
      bytes(
        module(
          custom('producers', producersData([['compiler', [['x', '1']]]])),
          custom('name', [0, 5, 1]),
          section(2, [1, 0xff]),
          custom('description', 'x'.repeat(LIMITS.maxValueBytes + 1)),
          custom('producers', []),
        ),
      ),
    );
    expect(tree.diagnostics.map((d) => [d.section, d.message])).toEqual([
      ['producers', expect.stringMatching(/invalid producers field name `compiler`/)],
      ['name', expect.stringMatching(/runs past the end of the section/)],
      ['import', expect.stringMatching(/unexpected end of data/)],
      ['description', expect.stringMatching(/larger than the limit of 1048576/)],
      ['producers', expect.stringMatching(/unexpected end of data/)],
    ]);
    expect(tree.name).toBeNull();
  });
});

describe('readMetadata: framing errors are fatal, with the byte offset', () => {
  it.each([
    ['a section past the end of the file', module(custom('a', 'b')).slice(0, -1), 'section-overflow', 8],
    [
      'a section past the end of its parent',
      component(section(1, module(section(1, [0, 0, 0, 0])).slice(0, 10)), custom('x', 'yz')),
      'section-overflow',
      18,
    ],
    ['a size LEB cut off by the end of the file', [...module(), 0x00, 0x80], 'truncated', 9],
    ['an overlong size LEB', [...module(), 0x00, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00], 'bad-leb', 9],
    ['a size above 2^32 - 1', [...module(), 0x00, 0xff, 0xff, 0xff, 0xff, 0x7f], 'bad-leb', 9],
    ['an empty custom section', [...module(), 0x00, 0x00], 'truncated', 10],
    ['a custom-section name past the section', [...module(), 0x00, 0x02, 0x05, 0x61], 'section-overflow', 10],
    ['a non-UTF-8 custom-section name', module(section(0, [2, 0xc3, 0x28])), 'bad-utf8', 10],
    ['a bad nested preamble', component(section(1, [0, 0x61, 0x73, 0x6d, 2, 0, 0, 0])), 'bad-header', 14],
    ['a component in a core-module section', component(section(1, component())), 'kind-mismatch', 10],
    ['a module in a component section', component(section(4, module())), 'kind-mismatch', 10],
    ['a bad magic number', [1, 2, 3, 4, 5, 6, 7, 8], 'bad-header', 0],
  ])('%s', (_, input, code, offset) => {
    const error = errorOf(input);
    expect(error.code).toBe(code);
    expect(error.offset).toBe(offset);
  });

  it('limits the nesting depth', () => {
    const nest = (depth: number): number[] => {
      let binary = module();
      for (let i = 0; i < depth; i++) binary = component(nested(binary));
      return binary;
    };
    expect(() => readMetadata(bytes(nest(LIMITS.maxNestingDepth)))).not.toThrow();
    expect(errorOf(nest(LIMITS.maxNestingDepth + 1)).code).toBe('too-deep');
  });

  it('limits the custom-section name length', () => {
    const name = 'n'.repeat(LIMITS.maxNameBytes + 1);
    expect(errorOf(module(custom(name, ''))).code).toBe('too-long');
    expect(readMetadata(bytes(module(custom('n'.repeat(LIMITS.maxNameBytes), '')))).diagnostics).toEqual([]);
  });
});
