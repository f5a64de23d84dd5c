/**
 * The GitHub Action's entry (action.yml's `runs.main`, bundled into action/index.js by
 * scripts/bundle-action.mjs): reads the inputs from the runner's environment, stamps, checks and
 * pushes (./run.ts), and sets the outputs. Any failure fails the step with one `::error::` line
 * and exit status 1; the password is masked before anything is logged.
 */
import { getInput, info, setFailed, setOutput, setSecret, summary } from '@actions/core';
import { WasmMetaError } from '../errors.js';
import { sortKeys } from '../oci/annotations.js';
import { CheckFailure, runAction, type ActionOutputs } from './run.js';
import { InputError, readInputs } from './inputs.js';

/** Text as HTML, for the step summary, which renders HTML. */
const html = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The step summary: a line per file, and what was pushed. */
async function writeSummary(outputs: ActionOutputs): Promise<void> {
  if (!process.env['GITHUB_STEP_SUMMARY']) return;
  summary.addHeading('wasm-meta', 3).addList(outputs.files.map((file) => `<code>${html(file)}</code>: stamped and checked`));
  if (outputs.pushed !== undefined) summary.addRaw(`Pushed to <code>${html(outputs.pushed.reference)}</code>`, true);
  if (outputs.pushed?.sbomDigest !== undefined)
    summary.addRaw(`With a CycloneDX SBOM attached: <code>${html(outputs.pushed.sbomDigest)}</code>`, true);
  await summary.write();
}

async function main(): Promise<void> {
  // Masked first, whatever else fails: the runner hides the value from every later log line.
  const password = getInput('password', { trimWhitespace: false });
  if (password !== '') setSecret(password);
  try {
    const workspace = process.env['GITHUB_WORKSPACE'] || process.cwd();
    const outputs = await runAction(readInputs(), workspace);
    setOutput('files', JSON.stringify(outputs.files));
    setOutput('annotations', JSON.stringify(sortKeys(outputs.annotations)));
    if (outputs.pushed !== undefined) {
      setOutput('digest', outputs.pushed.digest);
      setOutput('reference', outputs.pushed.reference);
      if (outputs.pushed.sbomDigest !== undefined) setOutput('sbom-digest', outputs.pushed.sbomDigest);
    }
    await writeSummary(outputs);
    info(`wasm-meta: ${outputs.files.length} file${outputs.files.length === 1 ? '' : 's'} stamped and checked`);
  } catch (error) {
    // Expected failures say what is wrong; anything else is a bug, reported with its stack.
    const expected = error instanceof WasmMetaError || error instanceof InputError || error instanceof CheckFailure;
    setFailed(expected ? error.message.trim() : `internal error (a bug in wasm-meta): ${(error as Error).stack ?? String(error)}`);
  }
}

await main();
