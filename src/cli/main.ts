export { EXIT } from './exit-codes.js';

/**
 * Runs the `wasm-meta` command line with `argv` (without the node and script paths) and
 * resolves to the exit code. `show` and `add` with plain arguments go straight to their code,
 * without loading the argument parser; everything else (help and errors included) goes
 * through the full command-line program. Each command's code is loaded only when it runs.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const show = plainShow(argv);
  if (show !== undefined) {
    const { runShow } = await import('./show.js');
    return runShow(show.file, show);
  }
  if (argv[0] === 'add') {
    const { plainAdd, runAdd } = await import('./add.js');
    const add = plainAdd(argv);
    if (add !== undefined) return runAdd(add.file, add.options);
  }
  const { runProgram } = await import('./program.js');
  return runProgram(argv);
}

/** `show [--json] [--strict] [file]` with nothing else, or `undefined`. */
function plainShow(argv: readonly string[]): { file: string; json: boolean; strict: boolean } | undefined {
  if (argv[0] !== 'show') return undefined;
  const options = { file: '-', json: false, strict: false };
  let files = 0;
  for (const arg of argv.slice(1)) {
    if (arg === '--json') options.json = true;
    else if (arg === '--strict') options.strict = true;
    else if ((arg === '-' || !arg.startsWith('-')) && files++ === 0) options.file = arg;
    else return undefined;
  }
  return options;
}
