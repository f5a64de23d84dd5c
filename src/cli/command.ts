/**
 * The command line's one argument parser: each command declares its arguments, options,
 * help and examples as data (a {@link CommandSpec}); `parseCommandLine` checks argv against
 * it, GNU style, and `renderHelp` prints it.
 *
 * Why not a library: measured on this project's `show`, loading commander cost about 25 ms of
 * start-up, and Node's `util.parseArgs` about 9.5 million instructions (loading `node:util`,
 * its parser and validators: 2 to 3 ms, a tenth of what a `show` adds to a bare Node start).
 * Over a declarative table, the parsing itself is a short loop.
 */

/** A mistake on the command line: exit 2, with the command's usage hint. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** One option of a command. */
export interface OptionSpec {
  /** The long name, without dashes: `licenses` is `--licenses`. */
  readonly name: string;
  /** A one-letter alias: `o` is `-o`. */
  readonly short?: string;
  /** The placeholder of its value, naming its kind (`SPDX-EXPRESSION`, `FILE`); a flag without one takes no value. */
  readonly value?: string;
  readonly help: string;
  /** May be given more than once; the values are kept in order. */
  readonly multiple?: boolean;
  /** Options that cannot be given with this one. */
  readonly conflicts?: readonly string[];
  /** The values allowed. */
  readonly choices?: readonly string[];
  /** The value when the option is not given. */
  readonly default?: string;
  /** Turns a value into what the command uses; throws a `UsageError` for a bad one. */
  readonly parse?: (value: string) => unknown;
}

/** One positional argument. */
export interface ArgumentSpec {
  readonly name: string;
  readonly help: string;
  /** The value when it is not given; without one, the argument is required. */
  readonly default?: string;
  /** Takes every remaining argument (one or more); only the last argument may be variadic. */
  readonly variadic?: boolean;
}

/** A command: what it takes, how it is explained, and what it does. */
export interface CommandSpec {
  readonly name: string;
  /** One line, for the list of commands. */
  readonly summary: string;
  /** More about it, for its own help. */
  readonly description?: string;
  readonly arguments: readonly ArgumentSpec[];
  readonly options: readonly OptionSpec[];
  /** Command lines that show it in use, with what each does. */
  readonly examples: ReadonlyArray<readonly [command: string, what: string]>;
  /** Runs it; resolves to the exit code. */
  run(args: ParsedArgs): Promise<number>;
}

/** The arguments of one run, checked against the command's spec. */
export class ParsedArgs {
  constructor(
    /** Positional arguments, defaults filled in. */
    readonly positionals: readonly string[],
    private readonly values: ReadonlyMap<string, unknown>,
  ) {}

  /** Whether an option was given (defaults do not count). */
  has(name: string): boolean {
    return this.values.has(name);
  }

  /** A flag: true when given. */
  flag(name: string): boolean {
    return this.values.get(name) === true;
  }

  /** The value of an option (after its `parse`), or `undefined` when not given and without default. */
  value<T = string>(name: string): T | undefined {
    return this.values.get(name) as T | undefined;
  }

  /** Every value of a repeatable option, in order. */
  all<T = string>(name: string): T[] {
    return (this.values.get(name) as T[] | undefined) ?? [];
  }
}

/**
 * Parses `argv` (the words after the command's name) for `spec`. Throws a `UsageError` for an
 * unknown option, a missing value, a value not allowed, two options that conflict, or the
 * wrong number of arguments. Returns `'help'` when `-h`/`--help` is among the options.
 */
export function parseCommandLine(spec: CommandSpec, argv: readonly string[]): ParsedArgs | 'help' {
  const byName = new Map<string, OptionSpec>();
  for (const option of spec.options) {
    byName.set(`--${option.name}`, option);
    if (option.short !== undefined) byName.set(`-${option.short}`, option);
  }
  const raw = new Map<OptionSpec, string[] | true>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string;
    if (word === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (word === '-' || !word.startsWith('-')) {
      positionals.push(word);
      continue;
    }
    if (word === '-h' || word === '--help') return 'help';
    // --name=value, or -ovalue for a short option.
    const long = word.startsWith('--');
    const split = long ? word.indexOf('=') : word.length > 2 ? 2 : -1;
    const flag = split < 0 ? word : word.slice(0, split);
    const option = byName.get(flag);
    if (option === undefined) throw new UsageError(`unknown option ${flag}`);
    if (option.value === undefined) {
      if (split >= 0) throw new UsageError(`${flag} takes no value`);
      raw.set(option, true);
      continue;
    }
    let value: string;
    if (split >= 0) value = word.slice(long ? split + 1 : split);
    else if (i + 1 < argv.length) value = argv[++i] as string;
    else throw new UsageError(`${flag} needs a value: ${flag} <${option.value}>`);
    const given = raw.get(option);
    raw.set(option, option.multiple && Array.isArray(given) ? [...given, value] : [value]);
  }

  const values = new Map<string, unknown>();
  for (const option of spec.options) {
    const given = raw.get(option);
    if (given === undefined) {
      if (option.default !== undefined) values.set(option.name, convert(option, option.default));
    } else if (given === true) {
      values.set(option.name, true);
    } else {
      const converted = given.map((value) => convert(option, value));
      values.set(option.name, option.multiple ? converted : converted[0]);
    }
  }
  for (const option of raw.keys()) {
    for (const other of option.conflicts ?? []) {
      if (raw.has(byName.get(`--${other}`) as OptionSpec)) {
        throw new UsageError(`--${option.name} and --${other} cannot be used together`);
      }
    }
  }

  if (positionals.length > spec.arguments.length && spec.arguments.at(-1)?.variadic !== true) {
    throw new UsageError(`unexpected argument ${JSON.stringify(positionals[spec.arguments.length])}`);
  }
  spec.arguments.forEach((argument, i) => {
    if (positionals[i] !== undefined) return;
    if (argument.default === undefined) throw new UsageError(`missing argument <${argument.name}>`);
    positionals[i] = argument.default;
  });
  return new ParsedArgs(positionals, values);
}

function convert(option: OptionSpec, value: string): unknown {
  if (option.choices !== undefined && !option.choices.includes(value)) {
    throw new UsageError(`--${option.name} must be one of ${option.choices.join(', ')}, not ${JSON.stringify(value)}`);
  }
  if (option.parse === undefined) return value;
  try {
    return option.parse(value);
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(`--${option.name}: ${error.message}`);
    throw error;
  }
}

/** The help of a command: usage, description, arguments, options and examples. */
export function renderHelp(spec: CommandSpec, program = 'wasm-meta'): string {
  const usageArgs = spec.arguments.map(usageOf).join(' ');
  const lines = [`Usage: ${program} ${spec.name} [options] ${usageArgs}`.trimEnd(), '', ...wrap(spec.summary)];
  if (spec.description !== undefined) lines.push('', ...wrap(spec.description));
  const rows = (entries: Array<[string, string]>): string[] => {
    const width = Math.min(34, Math.max(...entries.map(([left]) => left.length)));
    return entries.map(([left, right]) =>
      left.length > width ? `  ${left}\n  ${' '.repeat(width)}  ${right}` : `  ${left.padEnd(width)}  ${right}`,
    );
  };
  if (spec.arguments.length > 0) {
    lines.push('', 'Arguments:');
    lines.push(
      ...rows(
        spec.arguments.map((a) => [
          a.variadic === true ? `${a.name}...` : a.name,
          a.default === undefined ? a.help : `${a.help} (default: ${a.default})`,
        ]),
      ),
    );
  }
  const options: Array<[string, string]> = spec.options.map((o) => [
    `${o.short === undefined ? '    ' : `-${o.short}, `}--${o.name}${o.value === undefined ? '' : ` <${o.value}>`}`,
    o.help +
      (o.choices === undefined ? '' : ` (${o.choices.join(', ')})`) +
      (o.default === undefined ? '' : ` (default: ${o.default})`),
  ]);
  options.push(['-h, --help', 'show this help']);
  lines.push('', 'Options:', ...rows(options));
  if (spec.examples.length > 0) {
    lines.push('', 'Examples:');
    for (const [command, what] of spec.examples) lines.push(`  # ${what}`, `  ${program} ${command}`);
  }
  return `${lines.join('\n')}\n`;
}

/** An argument in the usage line: `<file>` if required, `[file]` if not, `[file...]` if variadic. */
function usageOf(argument: ArgumentSpec): string {
  const name = argument.variadic === true ? `${argument.name}...` : argument.name;
  return argument.default === undefined ? `<${name}>` : `[${name}]`;
}

/** Words of `text` in lines of at most `width` columns. */
function wrap(text: string, width = 80): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  return [...lines, line];
}
