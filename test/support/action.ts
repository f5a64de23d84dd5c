import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HANG_MS } from './hang.js';
import { REPO_ROOT } from './shared.js';

/** The action's committed entry, action.yml's `runs.main`. */
export const ACTION_ENTRY = join(REPO_ROOT, 'action', 'index.js');

let aloneEntry: string | undefined;

/**
 * A copy of the committed entry where the runner has it: in a directory with no node_modules
 * above it (the runner does not install the action's dependencies), so that a package the bundle
 * requires instead of inlining is missing here too, not found in this repository's node_modules.
 * One copy a test process, removed when it exits.
 */
export function actionEntryAlone(): string {
  if (aloneEntry === undefined) {
    if (!existsSync(ACTION_ENTRY)) throw new Error(`${ACTION_ENTRY} is missing: run npm run build:action`);
    const dir = mkdtempSync(join(tmpdir(), 'wasm-meta-action-alone-'));
    copyFileSync(ACTION_ENTRY, join(dir, 'index.js'));
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    aloneEntry = join(dir, 'index.js');
  }
  return aloneEntry;
}

/** What a run of the action's entry did. */
export interface ActionRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** The outputs, parsed from the file named by GITHUB_OUTPUT. */
  outputs: Record<string, string>;
  /** What the step summary file holds. */
  summary: string;
}

/**
 * The `name<<DELIMITER` / value / `DELIMITER` blocks that @actions/core's setOutput appends to
 * the GITHUB_OUTPUT file, as the runner reads them.
 */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc === null) {
      const eq = line.indexOf('=');
      if (eq < 0) throw new Error(`GITHUB_OUTPUT line ${i + 1} is neither name=value nor name<<DELIMITER: ${line}`);
      outputs[line.slice(0, eq)] = line.slice(eq + 1);
      continue;
    }
    const [, name, delimiter] = heredoc as unknown as [string, string, string];
    const end = lines.indexOf(delimiter, i + 1);
    if (end < 0) throw new Error(`GITHUB_OUTPUT: no closing ${delimiter} for ${name}`);
    outputs[name] = lines.slice(i + 1, end).join('\n');
    i = end;
  }
  return outputs;
}

/**
 * Runs the action's entry as the GitHub runner does: `node action/index.js` (a copy, see
 * {@link actionEntryAlone}) in the workspace,
 * each input as `INPUT_<NAME>` (upper case, spaces as `_`, hyphens kept), GITHUB_WORKSPACE, and
 * fresh GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, which are read back. The environment holds
 * no user configuration (HOME, DOCKER_CONFIG and XDG_CONFIG_HOME are empty directories) and no
 * WASM_META_* credentials. Killed as hung after {@link HANG_MS}.
 */
export function runActionEntry(workspace: string, inputs: Record<string, string>): ActionRun {
  const entry = actionEntryAlone();
  const runner = mkdtempSync(join(workspace, '..', 'runner-'));
  const outputFile = join(runner, 'output');
  const summaryFile = join(runner, 'summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: runner,
    DOCKER_CONFIG: join(runner, 'docker'),
    XDG_CONFIG_HOME: join(runner, 'config'),
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: runner,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  const result = spawnSync(process.execPath, [entry], {
    cwd: workspace,
    env,
    encoding: 'utf8',
    timeout: HANG_MS,
  });
  if (result.error !== undefined) throw new Error(`node ${entry}: ${result.error.message}`);
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8'),
  };
}
