import { readStdin } from './input.js';
import { UsageError } from './input.js';
import type { RegistryFlags } from './registry-options.js';
import type { RegistryOptions } from '../node/oci-target.js';
import { escapeForTerminal } from '../format/escape.js';

/** Turns the registry flags into options for the OCI functions; warnings go to standard error. */
export async function registryOptions(flags: RegistryFlags): Promise<RegistryOptions> {
  let password: string | undefined;
  if (flags.passwordStdin) {
    if (flags.username === undefined) throw new UsageError('--password-stdin needs -u/--username');
    if (process.stdin.isTTY) throw new UsageError('--password-stdin reads the password from a pipe, not a terminal');
    password = new TextDecoder().decode(await readStdin()).replace(/\r?\n$/, '');
  } else if (flags.username !== undefined) {
    throw new UsageError('-u/--username needs --password-stdin (passwords are never taken as arguments)');
  }
  return {
    insecure: flags.insecure ?? [],
    username: flags.username,
    password,
    onWarning: (message) => process.stderr.write(`warning: ${escapeForTerminal(message)}\n`),
  };
}
