import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';

/**
 * An environment without the user's credentials and configuration, for a command run in a test:
 * empty Docker and wkg (XDG) config directories of its own under `scratch`, and none of the
 * variables that would change what it does (`SOURCE_DATE_EPOCH`, credentials, debug output).
 * Returns the environment and the home directory that holds those config directories.
 */
export function isolatedEnvIn(
  scratch: string,
  extra: Record<string, string> = {},
): { env: NodeJS.ProcessEnv; home: string } {
  const home = mkdtempSync(join(scratch, 'home-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DOCKER_CONFIG: join(home, 'docker'),
    XDG_CONFIG_HOME: join(home, 'config'),
  };
  for (const name of ['SOURCE_DATE_EPOCH', 'WASM_META_USERNAME', 'WASM_META_PASSWORD', 'WASM_META_DEBUG'])
    delete env[name];
  return { env: { ...env, ...extra }, home };
}
