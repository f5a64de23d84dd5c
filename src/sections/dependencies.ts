import { WasmMetaError } from '../errors.js';
import { LIMITS } from '../limits.js';
import type { DependencyList, DependencyPackage } from '../metadata.js';
import { decodeJsonObject, isJsonObject } from './json-object.js';
import { isSemver } from '../values/semver.js';
import { inflateZlib } from '#inflate';

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
  return toDependencyList(decodeJsonObject(inflated, offset, 'dependency list'), offset);
}

function toDependencyList(json: Record<string, unknown>, offset: number): DependencyList {
  const fail = (message: string): never => {
    throw new WasmMetaError('invalid-metadata', `invalid dependency list: ${message}`, offset);
  };
  const format = json['format'] ?? 0;
  if (!isU32(format)) fail('`format` must be an unsigned integer');
  const raw = json['packages'];
  if (!Array.isArray(raw)) return fail('`packages` must be an array');
  const packages: DependencyPackage[] = [];
  for (const [index, item] of raw.entries()) {
    const at = `packages[${index}]`;
    if (!isJsonObject(item)) return fail(`${at} must be an object`);
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
  if (packages.filter((p) => p.root).length > 1) fail('more than one package has `root: true`');
  if (hasCycle(packages)) fail('the dependency graph has a cycle');
  return { packages, format: format as number };
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
 * The compact JSON of a `.dep-v0` dependency list, as `show` prints it.
 *
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

function isU32(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffffffff;
}
