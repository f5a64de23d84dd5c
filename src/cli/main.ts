import { VERSION } from '../version.js';
import type { CommandSpec } from './command.js';
import { printError } from './error-line.js';
import { EXIT, EXIT_MEANINGS } from './exit-codes.js';

/** What a command module gives: its spec, and a runner for the words after its name. */
interface CommandModule {
  command: CommandSpec;
  main(argv: readonly string[]): Promise<number>;
}

/**
 * The commands, each loaded only when it runs (each is its own bundle, which holds its
 * parser, its code and everything it reports, the error class included).
 */
export const COMMANDS: Readonly<Record<string, () => Promise<CommandModule>>> = {
  show: () => import('./show.js'),
  add: () => import('./add.js'),
  migrate: () => import('./migrate.js'),
  check: () => import('./check.js'),
  annotations: () => import('./annotations.js'),
  push: () => import('./push.js'),
  pull: () => import('./pull.js'),
  inspect: () => import('./inspect.js'),
  attach: () => import('./attach.js'),
  referrers: () => import('./referrers.js'),
};

/**
 * Runs the `wasm-meta` command line with `argv` (without the node and script paths) and
 * resolves to the exit code: the command named first, `--help` / `-h` (or `help [command]`)
 * and `--version` / `-V`.
 */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    return await dispatch(argv);
  } catch (error) {
    // Commands report their own errors; this is for a broken installation (a missing bundle).
    printError(`internal error: ${String(error).replace(/\n/g, ' ')} (is wasm-meta installed completely?)`);
    return EXIT.internal;
  }
}

async function dispatch(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '-V' || name === '--version') {
    process.stdout.write(`${VERSION}\n`);
    return EXIT.ok;
  }
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    if (topic !== undefined && COMMANDS[topic] !== undefined) return (await COMMANDS[topic]()).main(['--help']);
    if (name === undefined) return usageError('no command given');
    process.stdout.write(await overview());
    return EXIT.ok;
  }
  const load = COMMANDS[name];
  if (load === undefined) return usageError(`unknown command ${JSON.stringify(name)}`);
  return (await load()).main(rest);
}

/** A usage error before any command is known: what is wrong, the commands, and where the help is. */
function usageError(what: string): number {
  printError(`${what}; the commands are ${Object.keys(COMMANDS).join(', ')} (run "wasm-meta --help" for usage)`);
  return EXIT.usage;
}

/** The top-level help: every command with its summary. */
async function overview(): Promise<string> {
  const specs = await Promise.all(Object.values(COMMANDS).map(async (load) => (await load()).command));
  const width = Math.max(...specs.map((spec) => spec.name.length));
  return [
    `wasm-meta ${VERSION}: read and edit the package metadata of WebAssembly modules and components.`,
    '',
    'Usage: wasm-meta <command> [options] [arguments]',
    '',
    'Commands:',
    ...specs.map((spec) => `  ${spec.name.padEnd(width)}  ${spec.summary}`),
    '',
    'Run "wasm-meta <command> --help" for the options and examples of a command.',
    '',
    'Exit status:',
    ...EXIT_MEANINGS.map(([code, meaning]) => `  ${String(code).padStart(2)}  ${meaning}`),
    '',
  ].join('\n');
}
