import { VERSION } from '../version.js';
import type { CommandSpec } from './command.js';
import { EXIT } from './exit-codes.js';

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
    process.stderr.write(`wasm-meta: internal error: ${String(error)}\n`);
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
    const help = await overview();
    if (name === undefined) {
      process.stderr.write(help);
      return EXIT.usage;
    }
    process.stdout.write(help);
    return EXIT.ok;
  }
  const load = COMMANDS[name];
  if (load === undefined) {
    process.stderr.write(
      `wasm-meta: unknown command ${JSON.stringify(name)}; the commands are ${Object.keys(COMMANDS).join(', ')}\n(run "wasm-meta --help" for usage)\n`,
    );
    return EXIT.usage;
  }
  return (await load()).main(rest);
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
    'Exit status: 0 success, 1 bad input, 2 usage error, 70 internal error (a bug).',
    '',
  ].join('\n');
}
