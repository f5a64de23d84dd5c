import type { Command } from 'commander';

/** Registry options as commander gives them. */
export interface RegistryFlags {
  insecure?: string[];
  username?: string;
  passwordStdin?: boolean;
}

/** Adds the options every registry command takes: `--insecure`, `-u/--username`, `--password-stdin`. */
export function addRegistryOptions(command: Command): Command {
  return command
    .option(
      '--insecure <HOSTS>',
      'allow plain HTTP to these hosts (comma-separated, repeatable); loopback hosts always may',
      (value: string, previous: string[] | undefined) => [
        ...(previous ?? []),
        ...value
          .split(',')
          .map((h) => h.trim())
          .filter((h) => h !== ''),
      ],
    )
    .option('-u, --username <USER>', 'the user to log in as (the password comes from --password-stdin)')
    .option('--password-stdin', 'read the password from standard input');
}
