import { type Command, InvalidArgumentError, Option } from 'commander';
import { MANIFEST_KINDS, type ManifestKind } from '../manifest/kinds.js';
import { fromKind } from './fast-args.js';

/**
 * The `--from` options. Only their definition lives here, so that commands that do not import
 * manifests do not load the manifest code (see manifest-import.ts).
 */

/** Adds `--from <manifest>` and `--from-kind <kind>` to a command. */
export function addManifestOptions(command: Command, purpose: string): Command {
  return command
    .option('--from <MANIFEST>', `${purpose} from package.json, Cargo.toml, pyproject.toml or wkg.toml`)
    .addOption(
      new Option('--from-kind <KIND>', 'the manifest format, when the file name does not tell it').argParser(parseKind),
    );
}

function parseKind(value: string): ManifestKind {
  const kind = fromKind(value);
  if (kind === undefined) throw new InvalidArgumentError(`expected one of ${MANIFEST_KINDS.join(', ')}`);
  return kind;
}
