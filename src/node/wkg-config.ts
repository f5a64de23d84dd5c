import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { WasmMetaError } from '../errors.js';
import { type WkgConfig, emptyWkgConfig, parseWkgConfig } from '../oci/wkg-config.js';

/** `$XDG_CONFIG_HOME/wasm-pkg/config.toml`, else `~/.config/wasm-pkg/config.toml`. */
export function wkgConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const base =
    env['XDG_CONFIG_HOME'] !== undefined && env['XDG_CONFIG_HOME'] !== ''
      ? env['XDG_CONFIG_HOME']
      : join(homedir(), '.config');
  return join(base, 'wasm-pkg', 'config.toml');
}

/** Reads wkg's global config; a missing file is an empty config. */
export async function readWkgConfig(path = wkgConfigPath()): Promise<WkgConfig> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return emptyWkgConfig();
  try {
    return parseWkgConfig(parseToml(text));
  } catch (error) {
    throw new WasmMetaError('io', `${path}: not valid TOML: ${(error as Error).message.split('\n')[0]}`);
  }
}
