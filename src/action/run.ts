import { resolve } from 'node:path';
import { error as logError, info, warning } from '@actions/core';
import { describeChange } from '../cli/edit-report.js';
import { type CheckRow, checkMetadata } from '../check.js';
import { WasmMetaError } from '../errors.js';
import { type Annotations, annotationsFor } from '../oci/annotations.js';
import { addMetadataToFile, prepareEdit } from '../node/add-metadata.js';
import { pushFile } from '../node/oci.js';
import { readMetadataFromFile } from '../node/read-file.js';
import { defaultPackageManifest, displayPath, matchFiles } from './files.js';
import { type ActionInputs, InputError } from './inputs.js';

/** What the action sets as its outputs (action.yml). */
export interface ActionOutputs {
  /** The files stamped, as the log names them. */
  files: string[];
  /** The image manifest annotations pushed or, without `push`, those push would set for the first file. */
  annotations: Annotations;
  /**
   * The pushed image manifest's digest and pinned reference, when `push` is set, and with
   * `sbom` the digest of the SBOM attached to it.
   */
  pushed?: { digest: string; reference: string; sbomDigest?: string | undefined };
}

/** A check that failed: the step fails after every file is checked, naming each. */
export class CheckFailure extends Error {
  override readonly name = 'CheckFailure';
}

/** The error with the file it is about, unless the message already names it (I/O errors do). */
function aboutFile(error: unknown, shown: string): unknown {
  if (!(error instanceof WasmMetaError) || error.code === 'io' || error.message.includes(shown)) return error;
  return new WasmMetaError(error.code, `${shown}: ${error.message}`, undefined, { cause: error });
}

const failing = (row: CheckRow): string => `${row.field} ${row.status}: ${row.reason ?? ''}`;

/**
 * Stamps every file from the package manifest (read once), checks each against the manifest
 * and the required fields, and pushes when asked: what a workflow step wants after a build.
 * Each file gets its own log lines. A failing check fails the run after every file was
 * stamped and checked ({@link CheckFailure}), and nothing is pushed.
 */
export async function runAction(inputs: ActionInputs, workspace: string): Promise<ActionOutputs> {
  const files = await matchFiles(inputs.files, workspace);
  if (inputs.push !== undefined && files.length > 1)
    throw new InputError(
      `push takes one file (an OCI Wasm artifact has one layer), but files matched ${files.length}: ${files.map((file) => displayPath(file, workspace)).join(', ')}`,
    );
  const manifest =
    inputs.manifest === undefined ? await defaultPackageManifest(workspace) : resolve(workspace, inputs.manifest);
  const prepared = await prepareEdit({ from: manifest });
  info(`package manifest: ${displayPath(manifest, workspace)}`);
  prepared.warnings.forEach((message) => warning(message));
  prepared.notes.forEach((message) => info(message));

  const failures: string[] = [];
  for (const file of files) {
    const shown = displayPath(file, workspace);
    try {
      const stamped = await addMetadataToFile(file, { edit: prepared.edit });
      for (const change of stamped.changes) info(`${shown}: ${describeChange(change)}`);
      info(`${shown}: ${stamped.written ? 'written' : 'unchanged, not rewritten'}`);
      const check = checkMetadata(await readMetadataFromFile(file), prepared.edit, inputs.require);
      const failed = check.rows.filter((row) => row.status !== 'ok');
      if (failed.length === 0) info(`${shown}: check ok`);
      for (const row of failed) {
        logError(`${shown}: ${failing(row)}`, { file: shown });
        failures.push(`${shown}: ${failing(row)}`);
      }
    } catch (error) {
      throw aboutFile(error, shown);
    }
  }
  if (failures.length > 0) throw new CheckFailure(`check failed: ${failures.join('; ')}`);

  const first = files[0] as string;
  if (inputs.push === undefined) {
    const { imageManifest, warnings } = annotationsFor(await readMetadataFromFile(first));
    warnings.forEach((message) => warning(message));
    return { files: files.map((file) => displayPath(file, workspace)), annotations: imageManifest };
  }
  const pushed = await pushFile(first, inputs.push, {
    username: inputs.username,
    password: inputs.password,
    insecure: inputs.insecure,
    progress: false,
    sbom: inputs.sbom,
    onWarning: (message) => warning(message),
  });
  info(`pushed ${displayPath(first, workspace)} to ${pushed.reference}`);
  if (pushed.sbom !== undefined) info(`attached an SBOM to it: ${pushed.sbom.digest} (${pushed.sbom.artifactType})`);
  return {
    files: files.map((file) => displayPath(file, workspace)),
    annotations: pushed.annotations,
    pushed: { digest: pushed.digest, reference: pushed.reference, sbomDigest: pushed.sbom?.digest },
  };
}
