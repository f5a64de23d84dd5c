import { getInput, getMultilineInput } from '@actions/core';
import { CHECK_FIELDS, type CheckField } from '../check.js';

/**
 * A mistake in the workflow's `with:` block. Reported as the step's failure, like the command
 * line's usage errors; library failures stay `WasmMetaError`s.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/** The action's inputs (action.yml), read and checked before anything is done. */
export interface ActionInputs {
  /** Paths or globs, one a line (`!` excludes, `#` starts a comment), as workflows write them. */
  files: string[];
  /** The package manifest given, if any; otherwise the first found in the workspace. */
  manifest: string | undefined;
  require: CheckField[];
  /** The OCI reference (or wkg package name) to push to, if any. */
  push: string | undefined;
  /** Attach a CycloneDX SBOM of the pushed file to the pushed image (needs `push`). */
  sbom: boolean;
  username: string | undefined;
  password: string | undefined;
  /** Hosts that may be reached over plain HTTP besides loopback. */
  insecure: string[];
}

/** An input's value, or `undefined` when it is empty or not given. */
const optional = (value: string): string | undefined => (value === '' ? undefined : value);

/** Comma- or newline-separated words, without blanks. */
const words = (value: string): string[] =>
  value
    .split(/[,\n]/)
    .map((word) => word.trim())
    .filter((word) => word !== '');

/**
 * Reads the inputs from the runner's `INPUT_<NAME>` variables. Throws an {@link InputError}
 * for an unknown field in `require`, an `sbom` that is not `true` or `false` or comes without
 * `push`, or a username without a password (or a password without a username).
 */
export function readInputs(): ActionInputs {
  const files = getMultilineInput('files');
  if (files.length === 0) throw new InputError('the files input is empty: give paths or globs of .wasm files, one a line');
  const require = words(getInput('require'));
  const unknown = require.filter((field) => !(CHECK_FIELDS as readonly string[]).includes(field));
  if (unknown.length > 0)
    throw new InputError(`require: unknown field ${unknown.join(', ')}; fields are ${CHECK_FIELDS.join(', ')}`);
  const push = optional(getInput('push'));
  const sbom = getInput('sbom');
  if (!['', 'true', 'false'].includes(sbom)) throw new InputError(`sbom: ${JSON.stringify(sbom)} is not true or false`);
  if (sbom === 'true' && push === undefined)
    throw new InputError('sbom attaches the SBOM to the pushed image: give push too');
  const username = optional(getInput('username'));
  const password = optional(getInput('password', { trimWhitespace: false }));
  if ((username === undefined) !== (password === undefined))
    throw new InputError(
      username === undefined ? 'password is set but username is not: give both' : 'username is set but password is not: give both',
    );
  return {
    files,
    manifest: optional(getInput('manifest')),
    require: require as CheckField[],
    push,
    sbom: sbom === 'true',
    username,
    password,
    insecure: words(getInput('insecure')),
  };
}
