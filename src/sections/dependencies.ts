import { decodeUtf8 } from '../binary/utf8.js';
import { WasmMetaError } from '../errors.js';
import { LIMITS } from '../limits.js';
import type { DependencyList, DependencyPackage } from '../metadata.js';
import { isSemver } from './semver.js';
import { inflateZlib } from './zlib.js';

/** Section name of cargo-auditable's dependency list. */
export const DEPENDENCIES_SECTION = '.dep-v0';

/**
 * Decodes a `.dep-v0` section: zlib-compressed JSON in cargo-auditable's schema, inflated to
 * at most {@link LIMITS.maxDependencyBytes}. `offset` is the file offset of the section's id
 * byte, for errors.
 */
export function decodeDependencies(data: Uint8Array, offset: number): DependencyList {
  let inflated: Uint8Array;
  try {
    inflated = inflateZlib(data, LIMITS.maxDependencyBytes);
  } catch (error) {
    throw new WasmMetaError('invalid-metadata', (error as Error).message, offset);
  }
  const text = decodeUtf8(inflated);
  if (text === undefined) throw new WasmMetaError('invalid-metadata', 'dependency list is not valid UTF-8', offset);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new WasmMetaError('invalid-metadata', `dependency list is not JSON: ${(error as Error).message}`, offset);
  }
  const problem = { message: '' };
  const list = toDependencyList(json, problem);
  if (list === undefined)
    throw new WasmMetaError('invalid-metadata', `invalid dependency list: ${problem.message}`, offset);
  return list;
}

function toDependencyList(json: unknown, problem: { message: string }): DependencyList | undefined {
  const fail = (message: string): undefined => {
    problem.message = message;
    return undefined;
  };
  if (!isObject(json)) return fail('expected an object');
  const format = json['format'] ?? 0;
  if (!isU32(format)) return fail('`format` must be an unsigned integer');
  if (!Array.isArray(json['packages'])) return fail('`packages` must be an array');
  const raw = json['packages'] as unknown[];
  const packages: DependencyPackage[] = [];
  for (const [index, item] of raw.entries()) {
    const at = `packages[${index}]`;
    if (!isObject(item)) return fail(`${at} must be an object`);
    const { name, version, source } = item;
    const kind = item['kind'] ?? 'runtime';
    const dependencies = item['dependencies'] ?? [];
    const root = item['root'] ?? false;
    if (typeof name !== 'string') return fail(`${at}.name must be a string`);
    if (typeof version !== 'string' || !isSemver(version)) return fail(`${at}.version must be a semver version`);
    if (typeof source !== 'string') return fail(`${at}.source must be a string`);
    if (kind !== 'build' && kind !== 'runtime') return fail(`${at}.kind must be "build" or "runtime"`);
    if (typeof root !== 'boolean') return fail(`${at}.root must be a boolean`);
    if (!Array.isArray(dependencies) || !dependencies.every((d) => isU32(d) && d < raw.length)) {
      return fail(`${at}.dependencies must be indexes into packages`);
    }
    packages.push({ name, version, source, kind, dependencies: dependencies as number[], root });
  }
  if (packages.filter((p) => p.root).length > 1) return fail('more than one package has `root: true`');
  if (hasCycle(packages)) return fail('the dependency graph has a cycle');
  return { packages, format };
}

/** Depth-first search with an explicit stack, so that long chains cannot overflow the call stack. */
function hasCycle(packages: readonly DependencyPackage[]): boolean {
  const state = new Uint8Array(packages.length); // 0 unvisited, 1 on the current path, 2 done
  for (let start = 0; start < packages.length; start++) {
    if (state[start] !== 0) continue;
    const stack: Array<[node: number, next: number]> = [[start, 0]];
    state[start] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as [number, number];
      const deps = (packages[top[0]] as DependencyPackage).dependencies;
      if (top[1] < deps.length) {
        const next = deps[top[1]++] as number;
        if (state[next] === 1) return true;
        if (state[next] === 0) {
          state[next] = 1;
          stack.push([next, 0]);
        }
      } else {
        state[top[0]] = 2;
        stack.pop();
      }
    }
  }
  return false;
}

/**
 * Serializes a dependency list compactly, with keys in cargo-auditable's order and default
 * values (`kind: "runtime"`, no dependencies, `root: false`, `format: 0`) left out, as
 * wasm-tools prints it.
 */
export function serializeDependencies(list: DependencyList): string {
  const packages = list.packages.map((p) => {
    let out = `{"name":${JSON.stringify(p.name)},"version":${JSON.stringify(p.version)},"source":${JSON.stringify(p.source)}`;
    if (p.kind !== 'runtime') out += `,"kind":${JSON.stringify(p.kind)}`;
    if (p.dependencies.length > 0) out += `,"dependencies":[${p.dependencies.join(',')}]`;
    if (p.root) out += ',"root":true';
    return `${out}}`;
  });
  return `{"packages":[${packages.join(',')}]${list.format !== 0 ? `,"format":${list.format}` : ''}}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isU32(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffffffff;
}
