import { type ParseArgsConfig, parseArgs } from 'node:util';
import { MANIFEST_KINDS, type ManifestKind } from '../manifest/kinds.js';
import { FIELDS } from '../fields.js';
import type { AddOptions } from './add.js';
import type { EditOptionValues } from './edit-options.js';

/**
 * A quick parse of `add` arguments with Node's built-in `util.parseArgs`, so that the common
 * case starts without loading commander. It gives the same values as the full program (a test
 * holds them equal) and returns `undefined` for anything it does not take plainly (help, a
 * usage error, a conflict), which the full program then reports.
 */
export function plainAdd(
  argv: readonly string[],
): { file: string; options: EditOptionValues & AddOptions } | undefined {
  if (argv[0] !== 'add') return undefined;
  const options: NonNullable<ParseArgsConfig['options']> = {
    output: { type: 'string', short: 'o' },
    'in-place': { type: 'boolean' },
    strict: { type: 'boolean' },
    language: { type: 'string', multiple: true },
    'processed-by': { type: 'string', multiple: true },
    sdk: { type: 'string', multiple: true },
    'clear-producers': { type: 'boolean' },
    'clear-all': { type: 'boolean' },
    'migrate-legacy': { type: 'boolean' },
    nested: { type: 'string' },
    from: { type: 'string' },
    'from-kind': { type: 'string' },
  };
  for (const { key } of FIELDS) {
    options[key] = { type: 'string' };
    options[`clear-${key}`] = { type: 'boolean' };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv.slice(1), options, strict: true, allowPositionals: true });
  } catch {
    return undefined;
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) return undefined;
  if (values['output'] !== undefined && values['in-place'] !== undefined) return undefined;
  for (const { key } of FIELDS) {
    if (values[key] !== undefined && values[`clear-${key}`] !== undefined) return undefined;
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    const name = key.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
    if (key === 'language' || key === 'processed-by' || key === 'sdk') {
      const pairs = (value as string[]).map((pair) => {
        const at = pair.indexOf('=');
        return at < 0 ? undefined : [pair.slice(0, at), pair.slice(at + 1)];
      });
      if (pairs.includes(undefined)) return undefined;
      out[name] = pairs;
    } else if (key === 'nested') {
      if (!/^\d+(?:\.\d+)*$/.test(value as string)) return undefined;
      out[name] = (value as string).split('.').map(Number);
    } else if (key === 'from-kind') {
      const kind = fromKind(value as string);
      if (kind === undefined) return undefined;
      out[name] = kind;
    } else {
      out[name] = value;
    }
  }
  return { file: positionals[0] ?? '-', options: out as EditOptionValues & AddOptions };
}

/** A `--from-kind` value, as the full program reads it. */
export function fromKind(value: string): ManifestKind | undefined {
  const aliases: Record<string, ManifestKind> = {
    npm: 'package.json',
    cargo: 'Cargo.toml',
    python: 'pyproject.toml',
    pyproject: 'pyproject.toml',
    wkg: 'wkg.toml',
  };
  return MANIFEST_KINDS.find((k) => k.toLowerCase() === value.toLowerCase()) ?? aliases[value.toLowerCase()];
}
