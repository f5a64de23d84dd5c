import { describe, expect, it } from 'vitest';
import { WasmMetaError } from '../../src/errors.js';
import type { ComponentExport, ComponentImport, ModuleExport, ModuleImport } from '../../src/metadata.js';
import {
  decodeComponentExports,
  decodeComponentImports,
  decodeModuleExports,
  decodeModuleImports,
} from '../../src/sections/imports-exports.js';
import { leb, str } from '../support/wasm.js';

function componentImports(data: number[]): ComponentImport[] {
  const out: ComponentImport[] = [];
  decodeComponentImports(Uint8Array.from(data), 0, out);
  return out;
}

describe('component imports and exports', () => {
  it('reads every kind of import name and extern descriptor', () => {
    const data = [
      ...leb(6),
      0x00,
      ...str('greet'),
      0x01,
      ...leb(0),
      0x01,
      ...str('wasi:cli/environment@0.2.0'),
      0x05,
      ...leb(1),
      0x00,
      ...str('t'),
      0x03,
      0x01,
      0x00,
      ...str('v'),
      0x02,
      0x01,
      0x73,
      0x00,
      ...str('m'),
      0x00,
      0x11,
      ...leb(2),
      0x02,
      ...str('c'),
      ...leb(1),
      0x01,
      ...str('1.0.0'),
      0x04,
      ...leb(3),
    ];
    expect(componentImports(data)).toEqual([
      { name: 'greet', kind: 'func' },
      { name: 'wasi:cli/environment@0.2.0', kind: 'instance' },
      { name: 't', kind: 'type' },
      { name: 'v', kind: 'value' },
      { name: 'm', kind: 'module' },
      { name: 'c', kind: 'component' },
    ]);
  });

  it('reads exports with and without an ascribed type', () => {
    const data = [
      ...leb(2),
      0x00,
      ...str('run'),
      0x01,
      ...leb(0),
      0x00,
      0x00,
      ...str('wasi:http/incoming-handler@0.2.0'),
      0x05,
      ...leb(1),
      0x01,
      0x05,
      ...leb(2),
    ];
    const out: ComponentExport[] = [];
    decodeComponentExports(Uint8Array.from(data), 0, out);
    expect(out).toEqual([
      { name: 'run', kind: 'func' },
      { name: 'wasi:http/incoming-handler@0.2.0', kind: 'instance' },
    ]);
  });

  it('rejects bad name prefixes, sorts and trailing bytes with the offset', () => {
    try {
      componentImports([...leb(1), 0x07, ...str('x'), 0x01, 0x00]);
      expect.unreachable();
    } catch (error) {
      expect((error as WasmMetaError).reason).toMatch(/invalid name prefix 0x07/);
      expect((error as WasmMetaError).offset).toBe(1);
    }
    expect(() => componentImports([...leb(1), 0x00, ...str('x'), 0x09, 0x00])).toThrow(/invalid sort 0x09/);
    expect(() => componentImports([...leb(0), 0x00])).toThrow(/unexpected bytes at the end/);
    expect(() => componentImports([...leb(2), 0x00, ...str('x'), 0x01, 0x00])).toThrow(WasmMetaError);
  });
});

describe('core module imports and exports', () => {
  it('reads every import kind, compact forms included', () => {
    const data = [
      ...leb(9),
      ...str('env'),
      ...str('f'),
      0x00,
      ...leb(0),
      ...str('env'),
      ...str('t'),
      0x01,
      0x70,
      0x00,
      ...leb(1),
      ...str('env'),
      ...str('memory'),
      0x02,
      0x01,
      ...leb(1),
      ...leb(2),
      ...str('env'),
      ...str('g'),
      0x03,
      0x7f,
      0x01,
      ...str('env'),
      ...str('tag'),
      0x04,
      0x00,
      ...leb(0),
      ...str('env'),
      ...str('mem64'),
      0x02,
      0x05,
      0x80,
      0x80,
      0x80,
      0x80,
      0x80,
      0x01,
      ...leb(3),
      ...str('env'),
      ...str('ref'),
      0x03,
      0x64,
      0x70,
      0x00,
      ...str('m'),
      ...str(''),
      0x7f,
      ...leb(2),
      ...str('a'),
      0x00,
      ...leb(0),
      ...str('b'),
      0x03,
      0x7e,
      0x00,
      ...str('n'),
      ...str(''),
      0x7e,
      0x00,
      ...leb(1),
      ...leb(2),
      ...str('x'),
      ...str('y'),
    ];
    const out: ModuleImport[] = [];
    decodeModuleImports(Uint8Array.from(data), 0, out);
    expect(out.map((i) => `${i.module}.${i.name}:${i.kind}`)).toEqual([
      'env.f:func',
      'env.t:table',
      'env.memory:memory',
      'env.g:global',
      'env.tag:tag',
      'env.mem64:memory',
      'env.ref:global',
      'm.a:func',
      'm.b:global',
      'n.x:func',
      'n.y:func',
    ]);
    expect(Object.keys(out[0] as object)).toEqual(['module', 'name', 'kind']);
  });

  it('reads exports', () => {
    const data = [
      ...leb(3),
      ...str('f'),
      0x00,
      ...leb(0),
      ...str('memory'),
      0x02,
      ...leb(0),
      ...str('t'),
      0x04,
      ...leb(0),
    ];
    const out: ModuleExport[] = [];
    decodeModuleExports(Uint8Array.from(data), 0, out);
    expect(out).toEqual([
      { name: 'f', kind: 'func' },
      { name: 'memory', kind: 'memory' },
      { name: 't', kind: 'tag' },
    ]);
  });

  it('rejects unknown kinds and bad limits', () => {
    const out: ModuleExport[] = [];
    expect(() => decodeModuleExports(Uint8Array.from([...leb(1), ...str('f'), 0x09, 0x00]), 0, out)).toThrow(
      /invalid external kind 0x09/,
    );
    expect(() =>
      decodeModuleImports(Uint8Array.from([...leb(1), ...str('a'), ...str('b'), 0x02, 0x40, 0x00]), 0, []),
    ).toThrow(/invalid limits flags 0x40/);
  });
});
