import { describe, expect, it } from 'vitest';
import { type CommandSpec, ParsedArgs, UsageError, parseCommandLine, renderHelp } from '../../src/cli/command.js';
import { COMMANDS } from '../../src/cli/main.js';
import { EDIT_OPTIONS } from '../../src/cli/options.js';
import { FIELDS, VALUE_KINDS, placeholderOf } from '../../src/fields.js';
import { runCli } from '../support/cli.js';

const spec: CommandSpec = {
  name: 'demo',
  summary: 'A command for the tests.',
  arguments: [
    { name: 'file', help: 'the input', default: '-' },
    { name: 'other', help: 'another one', default: 'x' },
  ],
  options: [
    { name: 'output', short: 'o', value: 'FILE', help: 'where', conflicts: ['in-place'] },
    { name: 'in-place', help: 'over the input' },
    { name: 'sdk', value: 'NAME=VERSION', help: 'repeatable', multiple: true },
    { name: 'format', value: 'FORMAT', help: 'how', choices: ['json', 'oras'], default: 'json' },
    {
      name: 'count',
      value: 'N',
      help: 'a number',
      parse: (value) => {
        if (!/^\d+$/.test(value)) throw new UsageError('expected a number');
        return Number(value);
      },
    },
  ],
  examples: [['demo a.wasm', 'does the demo']],
  run: async () => 0,
};

const parse = (...argv: string[]): ParsedArgs => {
  const parsed = parseCommandLine(spec, argv);
  if (!(parsed instanceof ParsedArgs)) throw new Error('help');
  return parsed;
};
const usage = (...argv: string[]): string => {
  try {
    parseCommandLine(spec, argv);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error(`no usage error for ${argv.join(' ')}`);
};

describe('parseCommandLine', () => {
  it('takes long options with a separate or an attached value, and short ones', () => {
    expect(parse('a.wasm', '--output', 'b.wasm').value('output')).toBe('b.wasm');
    expect(parse('--output=b=c.wasm').value('output')).toBe('b=c.wasm');
    expect(parse('-o', 'b.wasm').value('output')).toBe('b.wasm');
    expect(parse('-ob.wasm').value('output')).toBe('b.wasm');
    // A value may start with a dash, as with getopt: `-o -` is standard output.
    expect(parse('-o', '-').value('output')).toBe('-');
    expect(parse('--output', '--in-place').value('output')).toBe('--in-place');
  });

  it('fills positionals and defaults, and takes - and everything after -- as positionals', () => {
    expect(parse().positionals).toEqual(['-', 'x']);
    expect(parse('-', 'y').positionals).toEqual(['-', 'y']);
    expect(parse('--', '--output', '-z').positionals).toEqual(['--output', '-z']);
    expect(parse().value('format')).toBe('json');
    expect(parse().has('format')).toBe(true);
    expect(parse().has('output')).toBe(false);
  });

  it('keeps repeated values of a repeatable option in order, and parses values', () => {
    expect(parse('--sdk', 'a=1', '--sdk=b=2').all('sdk')).toEqual(['a=1', 'b=2']);
    expect(parse('--count', '12').value('count')).toBe(12);
    expect(parse('--in-place').flag('in-place')).toBe(true);
    expect(parse().flag('in-place')).toBe(false);
  });

  it('says what is wrong with the words it cannot take', () => {
    expect(usage('--bogus')).toBe('unknown option --bogus');
    expect(usage('-x')).toBe('unknown option -x');
    expect(usage('--output')).toBe('--output needs a value: --output <FILE>');
    expect(usage('--in-place=yes')).toBe('--in-place takes no value');
    expect(usage('-o', 'a', '--in-place')).toBe('--output and --in-place cannot be used together');
    expect(usage('--format', 'xml')).toBe('--format must be one of json, oras, not "xml"');
    expect(usage('--count', 'ten')).toBe('--count: expected a number');
    expect(usage('a', 'b', 'c')).toBe('unexpected argument "c"');
  });

  it('asks for help with -h or --help, wherever it is', () => {
    expect(parseCommandLine(spec, ['a.wasm', '--help'])).toBe('help');
    expect(parseCommandLine(spec, ['-h', '--bogus'])).toBe('help');
  });

  it('requires arguments without a default', () => {
    const strict: CommandSpec = { ...spec, arguments: [{ name: 'reference', help: 'where' }] };
    expect(() => parseCommandLine(strict, [])).toThrow('missing argument <reference>');
  });

  it('gives a variadic last argument every remaining word, and its default when there is none', () => {
    const many: CommandSpec = { ...spec, arguments: [{ name: 'file', help: 'inputs', default: '-', variadic: true }] };
    const parseMany = (...argv: string[]) => parseCommandLine(many, argv) as ParsedArgs;
    expect(parseMany('a.wasm', '--in-place', 'b.wasm', '--', '-c.wasm').positionals).toEqual([
      'a.wasm',
      'b.wasm',
      '-c.wasm',
    ]);
    expect(parseMany('--in-place').positionals).toEqual(['-']);
    expect(renderHelp(many)).toMatch(/^Usage: wasm-meta demo \[options\] \[file\.\.\.\]\n/m);
    expect(renderHelp(many)).toContain('  file...  inputs (default: -)');
  });
});

describe('renderHelp', () => {
  it('shows the usage, every option with its placeholder, and the examples', () => {
    const help = renderHelp(spec);
    expect(help).toMatch(/^Usage: wasm-meta demo \[options\] \[file\] \[other\]\n/);
    for (const option of spec.options) expect(help).toContain(`--${option.name}`);
    expect(help).toContain('-o, --output <FILE>');
    expect(help).toContain('(json, oras) (default: json)');
    expect(help).toContain('# does the demo\n  wasm-meta demo a.wasm');
  });
});

describe('the edit options', () => {
  it('are a set flag and a clear flag for every field of the field table', () => {
    const names = EDIT_OPTIONS.map((option) => option.name);
    for (const field of FIELDS) {
      expect(names).toContain(field.key);
      expect(names).toContain(`clear-${field.key}`);
      expect(EDIT_OPTIONS.find((o) => o.name === field.key)?.conflicts).toEqual([`clear-${field.key}`]);
    }
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('the command line', () => {
  const commands = ['show', 'add', 'migrate', 'check', 'annotations', 'push', 'pull', 'inspect'];

  it('lists every command in its help, and gives each its own help with an example', () => {
    const top = runCli(['--help']);
    expect(top.status).toBe(0);
    for (const name of commands) {
      expect(top.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
      const help = runCli([name, '--help']);
      expect(help.status, name).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: wasm-meta ${name} `));
      expect(help.stdout).toContain('Examples:');
      expect(runCli(['help', name]).stdout).toBe(help.stdout);
    }
  });

  it('reports a usage error with the command, and how to get help', () => {
    const result = runCli(['add', '--bogus']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('wasm-meta: error: unknown option --bogus (run "wasm-meta add --help" for usage)\n');
  });
});

/** The words of an example command line, as a shell splits them, up to a redirection. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const [, quoted, plain] of line.matchAll(/"([^"]*)"|(\S+)/g)) {
    if (plain !== undefined && /^[<>|]/.test(plain)) break;
    words.push(quoted ?? (plain as string));
  }
  return words;
}

describe('every command of the dispatch table', () => {
  const loaded = Promise.all(
    Object.entries(COMMANDS).map(async ([name, load]) => [name, (await load()).command] as const),
  );

  it('has at least one example, and every example is a command line it accepts', async () => {
    const commands = await loaded;
    expect(commands.map(([name]) => name)).toEqual([
      'show',
      'add',
      'migrate',
      'check',
      'annotations',
      'push',
      'pull',
      'inspect',
      'attach',
      'referrers',
    ]);
    for (const [name, command] of commands) {
      expect(command.name).toBe(name);
      expect(command.examples.length, name).toBeGreaterThan(0);
      for (const [line, what] of command.examples) {
        expect(what, line).not.toBe('');
        const [first, ...argv] = shellWords(line);
        expect(first, line).toBe(name);
        expect(() => parseCommandLine(command, argv), line).not.toThrow();
        expect(parseCommandLine(command, argv), line).toBeInstanceOf(ParsedArgs);
      }
      expect(renderHelp(command)).toContain('\nExamples:\n');
    }
  });

  it('names the kind of value in placeholders: the field flags take theirs from the field table', async () => {
    const add = (await loaded).find(([name]) => name === 'add')?.[1] as CommandSpec;
    const help = renderHelp(add);
    for (const field of FIELDS) expect(help).toContain(`--${field.key} <${placeholderOf(field)}>`);
    for (const flag of [
      '--licenses <SPDX-EXPRESSION>',
      '--source <URL>',
      '--description <TEXT>',
      '--version <VERSION>',
      '--created <RFC3339>',
    ]) {
      expect(help).toContain(flag);
    }
    const push = (await loaded).find(([name]) => name === 'push')?.[1] as CommandSpec;
    expect(renderHelp(push)).toContain(`--created <${VALUE_KINDS['date-time'].placeholder}>`);
  });
});
