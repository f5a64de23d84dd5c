#!/usr/bin/env node
// The wasm-meta benchmark: `npm run bench [-- --runs N] [-- --quick] [-- --no-jco]`.
//
// For the corpus files and generated components (1 to 200 MB; 1 to 10 000 nested modules) it
// measures, in one run and interleaved, the median of N runs (default 15; 7 from 50 MB) of:
//   - CLI wall time and peak RSS of `show`, `show --json` and `add` (`-o` and `--in-place`; one
//     producers entry and one OCI field), of jco's `metadata-show` / `metadata-add`, and of two baselines: `node -e 0`
//     (start-up) and a Node script that reads and writes the file (the copy floor);
//   - in-process time of reading and of editing, against jco's `metadataShow` / `metadataAdd`;
//   - the bytes `show` reads from disk.
// `node -e 0` runs with every file; its runs are pooled into one baseline for the show ratio.
// It prints tables of times and ratios, checks the targets, and writes the raw numbers to
// bench/results/latest.json (and the tables to latest.md). jco is installed into a scratch directory, outside the package.
// Three more baselines are the machine's own limits for an edit: the kernel copying the file
// (copyFile), and doing so durably, as `add` must (into a temporary file, fsync, rename, fsync of
// the directory; once to a new file, once over the input). A target below such a floor is reported
// as out of reach on this machine, with the floor measured in the same rounds.
// `--node PATH` runs every command with another Node.js binary (the in-process figures stay with
// the bench's own); its results go to bench/results/node<major>.md and .json.
import { Buffer } from 'node:buffer';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { COMPONENT_HEADER, MODULE_HEADER, custom, leb, producersData, str } from '../scripts/wasm-builder.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
// Start-up noise on a busy machine is ±20 ms: small files get more rounds than large ones.
const RUNS_ARG = Number(args[args.indexOf('--runs') + 1]) || undefined;
const roundsFor = (size) => RUNS_ARG ?? (size >= 50 * MB ? 7 : 15);
const QUICK = args.includes('--quick');
const WITH_JCO = !args.includes('--no-jco');
const SCRATCH = join(tmpdir(), 'wasm-meta-bench');
const SHARED = process.env.WASM_META_SHARED ?? join(ROOT, '..', 'shared');
const BIN = join(ROOT, 'bin', 'wasm-meta.js');
/** The Node.js binary that runs every measured command: `--node PATH`, or the bench's own. */
const NODE = args.includes('--node') ? args[args.indexOf('--node') + 1] : process.execPath;
const NODE_VERSION = spawnSync(NODE, ['--version'], { encoding: 'utf8' }).stdout?.trim();
if (!NODE_VERSION) {
  console.error(`bench: cannot run ${NODE}`);
  process.exit(2);
}
const RESULTS_NAME = NODE === process.execPath ? 'latest' : `node${NODE_VERSION.slice(1).split('.')[0]}`;
const MB = 1024 * 1024;

if (!existsSync(join(ROOT, 'dist', 'bundle', 'main.js'))) {
  console.error('bench: run `npm run build` first (npm run bench does it)');
  process.exit(2);
}
mkdirSync(SCRATCH, { recursive: true });
const { readMetadata, applyEdit, joinChunks } = await import(pathToFileURL(join(ROOT, 'dist', 'index.js')).href);
const { readMetadataFromFileSync } = await import(pathToFileURL(join(ROOT, 'dist', 'node', 'index.js')).href);
const { renderShowTables } = await import(pathToFileURL(join(ROOT, 'dist', 'format', 'show-table.js')).href);

// ---- Inputs ------------------------------------------------------------------------------

const producers = (lang) => custom('producers', producersData([['language', [[lang, '']]]]));

/** A component holding one module whose passive data segment makes it `size` bytes in all. */
function writeSizedComponent(path, size) {
  const tail = [...producers('Rust'), ...custom('name', [0, ...leb(str('big').length), ...str('big')])];
  const componentTail = [
    ...custom('component-name', [0, ...leb(str('sized').length), ...str('sized')]),
    ...producers('TypeScript'),
  ];
  // Solve for the data length so that the file has exactly `size` bytes.
  let data = size - 200;
  for (let i = 0; i < 4; i++) {
    const segment = [1, 0x01, ...leb(data)];
    const dataSection = [11, ...leb(segment.length + data)];
    const moduleLength = MODULE_HEADER.length + dataSection.length + segment.length + data + tail.length;
    const total = COMPONENT_HEADER.length + 1 + leb(moduleLength).length + moduleLength + componentTail.length;
    data += size - total;
  }
  const segmentHead = [1, 0x01, ...leb(data)];
  const moduleLength =
    MODULE_HEADER.length + [11, ...leb(segmentHead.length + data)].length + segmentHead.length + data + tail.length;
  const fd = openSync(path, 'w');
  writeSync(
    fd,
    Uint8Array.from([
      ...COMPONENT_HEADER,
      1,
      ...leb(moduleLength),
      ...MODULE_HEADER,
      11,
      ...leb(segmentHead.length + data),
      ...segmentHead,
    ]),
  );
  const zeros = new Uint8Array(4 * MB);
  for (let left = data; left > 0; left -= zeros.length) writeSync(fd, zeros, 0, Math.min(left, zeros.length));
  writeSync(fd, Uint8Array.from([...tail, ...componentTail]));
  closeSync(fd);
}

/** A component holding `count` small modules, each with its own producers section. */
function writeNestedComponent(path, count) {
  const child = [...MODULE_HEADER, ...producers('C11')];
  const nested = [1, ...leb(child.length), ...child];
  const out = new Uint8Array(COMPONENT_HEADER.length + nested.length * count + 64);
  out.set(COMPONENT_HEADER);
  for (let i = 0; i < count; i++) out.set(nested, COMPONENT_HEADER.length + i * nested.length);
  const tail = Uint8Array.from(producers('TypeScript'));
  out.set(tail, COMPONENT_HEADER.length + nested.length * count);
  writeFileSync(path, out.subarray(0, COMPONENT_HEADER.length + nested.length * count + tail.length));
}

const files = [];
if (existsSync(join(SHARED, 'corpus'))) {
  for (const name of readdirSync(join(SHARED, 'corpus'))
    .filter((f) => f.endsWith('.wasm'))
    .sort()) {
    files.push({ name, path: join(SHARED, 'corpus', name), kind: 'corpus' });
  }
} else {
  console.warn(`bench: ${SHARED}/corpus is absent; only generated files are measured`);
}
for (const mb of QUICK ? [1, 10] : [1, 10, 50, 100, 200]) {
  const path = join(SCRATCH, `component-${mb}mb.wasm`);
  if (!existsSync(path) || statSync(path).size !== mb * MB) writeSizedComponent(path, mb * MB);
  files.push({ name: `generated ${mb} MB`, path, kind: 'size', mb });
}
for (const count of QUICK ? [1, 100] : [1, 100, 10000]) {
  const path = join(SCRATCH, `nested-${count}.wasm`);
  writeNestedComponent(path, count);
  files.push({ name: `generated ${count} nested`, path, kind: 'nesting', count });
}
for (const file of files) file.size = statSync(file.path).size;

// ---- jco, outside the package ------------------------------------------------------------

let jco;
if (WITH_JCO) {
  const dir = join(SCRATCH, 'jco');
  const entry = join(dir, 'node_modules', '@bytecodealliance', 'jco', 'dist', 'jco.js');
  if (!existsSync(entry)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{"private":true}\n');
    console.error('bench: installing @bytecodealliance/jco@1.35.0 into', dir);
    const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', '@bytecodealliance/jco@1.35.0'], {
      cwd: dir,
      stdio: 'inherit',
    });
    if (install.status !== 0) throw new Error('npm install of jco failed');
  }
  const api = await import(pathToFileURL(join(dir, 'node_modules', '@bytecodealliance', 'jco', 'dist', 'api.js')).href);
  jco = { cli: entry, metadataShow: api.metadataShow, metadataAdd: api.metadataAdd };
}

// ---- Measuring ---------------------------------------------------------------------------

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
if (TIME === undefined) console.warn('bench: /usr/bin/time (Debian package time) is missing; peak RSS is not measured');
const COPY = join(SCRATCH, 'copy.mjs');
writeFileSync(
  COPY,
  "import { readFileSync, writeFileSync } from 'node:fs';\nwriteFileSync(process.argv[3], readFileSync(process.argv[2]));\n",
);
/**
 * A script that writes its input into `<output>.tmp` with `fill` (lines that leave the file open
 * as `fd`), then makes it survive a power cut as `add` does: fsync, rename over the output, fsync
 * of the directory.
 */
const durableScript = (fill) =>
  [
    "import { closeSync, copyFileSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';",
    "import { dirname } from 'node:path';",
    'const [input, output] = process.argv.slice(2);',
    "const temp = output + '.tmp';",
    ...fill,
    'fsyncSync(fd);',
    'closeSync(fd);',
    'renameSync(temp, output);',
    "const dir = openSync(dirname(output), 'r');",
    'fsyncSync(dir);',
    'closeSync(dir);',
    '',
  ].join('\n');
// The floor of a durable write through memory, shown beside the copy floor, which is not durable.
const DURABLE_COPY = join(SCRATCH, 'durable-copy.mjs');
writeFileSync(DURABLE_COPY, durableScript(["const fd = openSync(temp, 'w');", 'writeSync(fd, readFileSync(input));']));
// The machine's floor for an edit of a file that changes only its end: the kernel copies it
// (copy_file_range, or a reflink where the file system has them), and no byte passes through
// JavaScript. The durable form adds what `add` may not skip.
const KERNEL_COPY = join(SCRATCH, 'kernel-copy.mjs');
writeFileSync(
  KERNEL_COPY,
  "import { copyFileSync } from 'node:fs';\ncopyFileSync(process.argv[2], process.argv[3]);\n",
);
const DURABLE_KERNEL_COPY = join(SCRATCH, 'durable-kernel-copy.mjs');
writeFileSync(DURABLE_KERNEL_COPY, durableScript(['copyFileSync(input, temp);', "const fd = openSync(temp, 'r+');"]));
// Per process, so that two runs of the bench at once do not write each other's outputs.
const OUT = join(SCRATCH, `out-${process.pid}.wasm`);
// `add --in-place` edits a fresh copy of the input in each run (copied before the timed run).
const IN_PLACE = join(SCRATCH, `in-place-${process.pid}.wasm`);

/** Runs a command once: wall milliseconds and peak RSS in bytes. */
function runOnce(command) {
  // Every writer starts without an output file: rewriting one that was just written makes ext4
  // flush it first (auto_da_alloc), a cost that would fall on whichever command came next.
  rmSync(OUT, { force: true });
  rmSync(`${OUT}.tmp`, { force: true });
  const argv = TIME === undefined ? command : [TIME, '-f', '%M', ...command];
  const start = process.hrtime.bigint();
  const result = spawnSync(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * MB });
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${command.join(' ')} failed: ${result.stderr}`);
  const rss = TIME === undefined ? null : Number(result.stderr.toString().trim().split('\n').pop()) * 1024;
  return { wall, rss };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function commandsFor(file) {
  const commands = {
    'node -e 0': [NODE, '-e', '0'],
    copy: [NODE, COPY, file.path, OUT],
    'durable copy': [NODE, DURABLE_COPY, file.path, OUT],
    'kernel copy': [NODE, KERNEL_COPY, file.path, OUT],
    'durable kernel copy': [NODE, DURABLE_KERNEL_COPY, file.path, OUT],
    // Over a fresh copy of the input, as add --in-place replaces it (the old file's blocks are freed).
    'durable kernel copy in place': [NODE, DURABLE_KERNEL_COPY, IN_PLACE, IN_PLACE],
    show: [NODE, BIN, 'show', file.path],
    'show --json': [NODE, BIN, 'show', '--json', file.path],
    add: [NODE, BIN, 'add', file.path, '-o', OUT, '--processed-by', 'bench=1.0.0', '--vendor', 'ACME'],
    'add --in-place': [NODE, BIN, 'add', IN_PLACE, '--in-place', '--processed-by', 'bench=1.0.0', '--vendor', 'ACME'],
  };
  if (jco) {
    commands['jco show'] = [NODE, jco.cli, 'metadata-show', file.path];
    commands['jco add'] = [NODE, jco.cli, 'metadata-add', file.path, '-m', 'processed-by=bench@1.0.0', '-o', OUT];
  }
  return commands;
}

/** Median of `f()` in milliseconds over enough repetitions to be stable. */
function timeInProcess(f, budgetMs = 300) {
  const samples = [];
  const deadline = performance.now() + budgetMs;
  do {
    const start = performance.now();
    f();
    samples.push(performance.now() - start);
  } while ((performance.now() < deadline || samples.length < 5) && samples.length < 2000);
  return median(samples);
}

/** The same for an async `f` (jco's API), with the same warm-up and budget. */
async function timeInProcessAsync(f, budgetMs = 300) {
  const samples = [];
  const deadline = performance.now() + budgetMs;
  do {
    const start = performance.now();
    await f();
    samples.push(performance.now() - start);
  } while ((performance.now() < deadline || samples.length < 5) && samples.length < 2000);
  return median(samples);
}

const results = [];
// All runs of `node -e 0`, for the start-up figure of the report.
const startupSamples = { wall: [], rss: [] };
/** The median of the ratios of paired runs (the same round), which machine drift cancels out of. */
const pairedRatio = (a, b) => median(a.map((x, i) => x / b[i]));
for (const file of files) {
  process.stderr.write(`bench: ${file.name} (${(file.size / MB).toFixed(1)} MB)\n`);
  const commands = commandsFor(file);
  const samples = Object.fromEntries(Object.keys(commands).map((k) => [k, { wall: [], rss: [] }]));
  for (let run = 0; run < roundsFor(file.size); run++) {
    // Interleaved: every command once per round, so that drifting machine load hits all alike.
    for (const [name, command] of Object.entries(commands)) {
      if (name === 'add --in-place' || name === 'durable kernel copy in place') {
        rmSync(IN_PLACE, { force: true });
        copyFileSync(file.path, IN_PLACE);
        chmodSync(IN_PLACE, 0o644);
      }
      const { wall, rss } = runOnce(command);
      samples[name].wall.push(wall);
      if (rss !== null) samples[name].rss.push(rss);
    }
  }
  startupSamples.wall.push(...samples['node -e 0'].wall);
  startupSamples.rss.push(...samples['node -e 0'].rss);
  const cli = Object.fromEntries(
    Object.entries(samples).map(([k, v]) => [k, { wall: median(v.wall), rss: v.rss.length ? median(v.rss) : null }]),
  );
  const ratios = {
    showToStartup: pairedRatio(samples.show.wall, samples['node -e 0'].wall),
    addToCopy: pairedRatio(samples.add.wall, samples.copy.wall),
    addInPlaceToCopy: pairedRatio(samples['add --in-place'].wall, samples.copy.wall),
    ...(jco ? { jcoAddToAdd: pairedRatio(samples['jco add'].wall, samples.add.wall) } : {}),
    addToDurableCopy: pairedRatio(samples.add.wall, samples['durable copy'].wall),
    jcoShowToShow: jco ? pairedRatio(samples['jco show'].wall, samples.show.wall) : undefined,
    // The machine's floors against the copy script, and add against its floor.
    kernelCopyToCopy: pairedRatio(samples['kernel copy'].wall, samples.copy.wall),
    floorToCopy: pairedRatio(samples['durable kernel copy'].wall, samples.copy.wall),
    floorInPlaceToCopy: pairedRatio(samples['durable kernel copy in place'].wall, samples.copy.wall),
    addToFloor: pairedRatio(samples.add.wall, samples['durable kernel copy'].wall),
    addInPlaceToFloor: pairedRatio(samples['add --in-place'].wall, samples['durable kernel copy in place'].wall),
    // The most that any Node.js command can be faster than jco's: jco against the floor.
    jcoShowCeiling: jco ? pairedRatio(samples['jco show'].wall, samples['node -e 0'].wall) : undefined,
    jcoAddCeiling: jco ? pairedRatio(samples['jco add'].wall, samples['durable kernel copy'].wall) : undefined,
  };
  const bytes = new Uint8Array(readFileSync(file.path));
  const edit = { vendor: 'ACME', producers: [{ field: 'processed-by', name: 'bench', version: '1.0.0' }] };
  const tree = readMetadata(bytes);
  const inProcess = {
    read: timeInProcess(() => readMetadata(bytes)),
    // What show does past reading: laying out its tables (a fact for the reasons of a miss).
    tables: timeInProcess(() => renderShowTables(tree)),
    edit: timeInProcess(() => applyEdit(bytes, edit)),
    editJoined: timeInProcess(() => joinChunks(applyEdit(bytes, edit).chunks)),
  };
  if (jco) {
    inProcess.jcoShow = await timeInProcessAsync(() => jco.metadataShow(bytes));
    inProcess.jcoAdd = await timeInProcessAsync(() => jco.metadataAdd(bytes, [['processed-by', [['bench', '1.0.0']]]]));
  }
  // Where the output first differs from the input: `add` copies the bytes before it in the kernel.
  const firstChunk = applyEdit(bytes, edit).chunks[0];
  const firstChange = firstChunk?.buffer === bytes.buffer && firstChunk.byteOffset === 0 ? firstChunk.length : 0;
  const stats = { fileSize: 0, bytesRead: 0, reads: 0 };
  readMetadataFromFileSync(file.path, {}, stats);
  const showOutputBytes = Buffer.byteLength(renderShowTables(tree));
  results.push({
    ...file,
    cli,
    ratios,
    samples,
    inProcess,
    firstChange,
    showBytesRead: stats.bytesRead,
    showReads: stats.reads,
    showOutputBytes,
  });
}

// The 50 MB target: a component of that size read in memory.
const fiftyPath = join(SCRATCH, 'component-50mb.wasm');
if (!existsSync(fiftyPath) || statSync(fiftyPath).size !== 50 * MB) writeSizedComponent(fiftyPath, 50 * MB);
const fifty = new Uint8Array(readFileSync(fiftyPath));
const read50 = timeInProcess(() => readMetadata(fifty));

// Which modules `show` and `add` load: a resolve hook records every module, Node records builtins.
const TRACE_HOOKS = join(SCRATCH, 'trace-hooks.mjs');
const TRACE_PRELOAD = join(SCRATCH, 'trace-preload.mjs');
writeFileSync(
  TRACE_HOOKS,
  "import { appendFileSync } from 'node:fs';\nlet out;\nexport function initialize(data) { out = data.out; }\n" +
    'export async function resolve(specifier, context, next) {\n' +
    "  const result = await next(specifier, context);\n  appendFileSync(out, result.url + '\\n');\n  return result;\n}\n",
);
writeFileSync(
  TRACE_PRELOAD,
  "import { register } from 'node:module';\nimport { appendFileSync } from 'node:fs';\n" +
    `register(${JSON.stringify(pathToFileURL(TRACE_HOOKS).href)}, { data: { out: process.env.WASM_META_TRACE } });\n` +
    "process.on('exit', () => appendFileSync(process.env.WASM_META_TRACE, process.moduleLoadList.join('\\n') + '\\n'));\n",
);
function loadedBy(command) {
  const out = join(SCRATCH, `trace-${process.pid}.txt`);
  rmSync(out, { force: true });
  const result = spawnSync(NODE, ['--import', pathToFileURL(TRACE_PRELOAD).href, ...command.slice(1)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, WASM_META_TRACE: out },
  });
  if (result.status !== 0) throw new Error(`${command.join(' ')} failed: ${result.stderr}`);
  const lines = readFileSync(out, 'utf8').split('\n');
  const bundles = [...new Set(lines.filter((l) => l.includes('/dist/bundle/')).map((l) => l.split('/').pop()))];
  const network = [...new Set(lines.filter((l) => /\b(http|https|http2|net|tls|undici)\b/.test(l)))];
  return { bundles, network };
}
const sample = files[0];
// Node itself (and the tracing hook) loads some of these; only what a command adds counts.
const baseline = new Set(loadedBy(commandsFor(sample)['node -e 0']).network);
const lazy = Object.fromEntries(
  ['show', 'add'].map((name) => {
    const loaded = loadedBy(commandsFor(sample)[name]);
    return [name, { ...loaded, network: loaded.network.filter((m) => !baseline.has(m)) }];
  }),
);

// ---- Report ------------------------------------------------------------------------------

const startup = {
  wall: median(startupSamples.wall),
  rss: startupSamples.rss.length ? median(startupSamples.rss) : null,
};

const ms = (v) => (v === undefined || v === null ? '-' : v < 10 ? v.toFixed(2) : v.toFixed(0));
const mb = (v) => (v === null || v === undefined ? '-' : (v / MB).toFixed(0));
const ratio = (a, b) => (a === undefined || b === undefined || a === null || b === null ? '-' : (a / b).toFixed(2));
const table = (header, rows) =>
  [
    `| ${header.join(' | ')} |`,
    `| ${header.map((h, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');

/**
 * Every target with its measured value and its limit; a missed one says why, from the measured
 * facts (see missReason). `check(name, ok, measured, { limit, why })`.
 */
const targets = [];
const check = (name, ok, measured, { limit = '', why, outOfReach = false } = {}) =>
  targets.push({
    name,
    ok,
    measured,
    limit,
    // A miss that the machine's own floor (a bare Node start, a durable kernel copy) already misses.
    outOfReach: !ok && outOfReach,
    why: ok ? undefined : (why ?? missReason(name)),
  });
/** Why a target without a measured reason of its own was missed: the known causes, by target. */
function missReason(name) {
  if (name.startsWith('add ≤')) return 'add loads and runs more code than the copy script, and writes durably';
  return 'no known cause: see the measurements above';
}
/** The reason of a missed `show` time target, from what the run measured on that file. */
function showTimeReason(r) {
  const over = r.cli.show.wall - r.cli['node -e 0'].wall;
  const warm = r.inProcess.read + r.inProcess.tables;
  return `show took ${ms(over)} ms over node -e 0 (${ms(r.cli['node -e 0'].wall)} ms): reading ${ms(r.inProcess.read)} ms and laying out its ${(r.showOutputBytes / MB).toFixed(1)} MB of tables ${ms(r.inProcess.tables)} ms in process (warm); the other ${ms(Math.max(0, over - warm))} ms are loading show's code and running it cold`;
}

/** The wall-time columns of the first table: the baselines, then ours, then jco's. */
const TIME_COLUMNS = [
  'node -e 0',
  'copy',
  'durable copy',
  'kernel copy',
  'durable kernel copy',
  'durable kernel copy in place',
  'show',
  'show --json',
  'add',
  'add --in-place',
  'jco show',
  'jco add',
];
const cliRows = results.map((r) => [r.name, (r.size / MB).toFixed(1), ...TIME_COLUMNS.map((k) => ms(r.cli[k]?.wall))]);
const above = (r, name) => mb(r.cli[name].rss !== null ? r.cli[name].rss - r.cli['node -e 0'].rss : null);
const ratioRows = results.map((r) => [
  r.name,
  r.ratios.showToStartup.toFixed(2),
  r.ratios.addToCopy.toFixed(2),
  r.ratios.addInPlaceToCopy.toFixed(2),
  r.ratios.kernelCopyToCopy.toFixed(2),
  r.ratios.floorToCopy.toFixed(2),
  r.ratios.floorInPlaceToCopy.toFixed(2),
  r.ratios.addToFloor.toFixed(2),
  r.ratios.addInPlaceToFloor.toFixed(2),
  `${((100 * r.firstChange) / r.size).toFixed(0)}%`,
  above(r, 'show'),
  above(r, 'show --json'),
  above(r, 'add'),
  above(r, 'add --in-place'),
]);
const inRows = results.map((r) => [
  r.name,
  ms(r.inProcess.read),
  ms(r.inProcess.jcoShow),
  ms(r.inProcess.edit),
  ms(r.inProcess.editJoined),
  ms(r.inProcess.jcoAdd),
  ratio(r.inProcess.editJoined, r.inProcess.jcoAdd),
  `${(r.showBytesRead / 1024).toFixed(0)} KiB in ${r.showReads}`,
]);

const inTarget = (r) => r.inProcess.edit / r.inProcess.jcoAdd;
const NESTING_LIMIT = 10000;
for (const r of results) {
  const c = r.cli;
  // The issue-15 show targets: start-up cost everywhere, 2× on the 10 000-module component.
  const showLimit = r.count === NESTING_LIMIT ? 2 : 1.3;
  const showRatio = r.ratios.showToStartup;
  check(`show ≤ ${showLimit}× node -e 0: ${r.name}`, showRatio <= showLimit, `${showRatio.toFixed(2)}×`, {
    limit: `${showLimit}×`,
    why: showTimeReason(r),
  });
  if (c.show.rss !== null) {
    // 32 MiB on the 10 000-module component (issue 15); 20 MB elsewhere, where show reads a few sections.
    const rssLimit = r.count === NESTING_LIMIT ? 32 * MB : 20 * MB;
    const above = c.show.rss - c['node -e 0'].rss;
    check(`show RSS ≤ node + ${mb(rssLimit)} MB: ${r.name}`, above <= rssLimit, `+${mb(above)} MB`, {
      limit: `+${mb(rssLimit)} MB`,
      why: `show holds the tree of ${r.count ?? 'its'} binaries (${ms(r.inProcess.read)} ms to read in process) and streams ${(r.showOutputBytes / MB).toFixed(1)} MB of tables row by row; show --json, which lays out no table, took +${mb(c['show --json'].rss - c['node -e 0'].rss)} MB: the rest is V8's heap, whose young generation grows to 2 × 16 MB while the tree is built`,
    });
  }
  // Issue 15: the kernel copies the unchanged prefix, so an edit in the last tenth beats a copy
  // through memory; elsewhere the edit streams (or copies most of the file) and must not lose.
  const lastTenth = r.firstChange >= 0.9 * r.size;
  const addLimit = lastTenth ? 0.75 : 1.0;
  const where = lastTenth
    ? 'edit in the last tenth'
    : `first change at ${((100 * r.firstChange) / r.size).toFixed(0)}%`;
  for (const [mode, value, floor, floorName, toFloor, addName] of [
    ['-o', r.ratios.addToCopy, r.ratios.floorToCopy, 'durable kernel copy', r.ratios.addToFloor, 'add'],
    [
      '--in-place',
      r.ratios.addInPlaceToCopy,
      r.ratios.floorInPlaceToCopy,
      'durable kernel copy in place',
      r.ratios.addInPlaceToFloor,
      'add --in-place',
    ],
  ]) {
    const floorText = `the floor, a ${floorName} (node start, copyFile, fsync, rename, fsync of the directory; ${ms(c[floorName].wall)} ms), is ${floor.toFixed(2)}× the copy script (${ms(c.copy.wall)} ms; node -e 0 ${ms(c['node -e 0'].wall)} ms)`;
    const overFloor = `${addName} took ${ms(c[addName].wall)} ms, ${toFloor.toFixed(2)}× the floor`;
    check(`add ${mode} ≤ ${addLimit}× copy (${where}): ${r.name}`, value <= addLimit, `${value.toFixed(2)}×`, {
      limit: `${addLimit}×`,
      outOfReach: floor > addLimit,
      why:
        floor > addLimit
          ? `out of reach here: ${floorText}; ${overFloor}`
          : `${overFloor}; ${floorText}: ${missReason('add ≤')}`,
    });
  }
  for (const name of ['add', 'add --in-place'])
    if (c[name].rss !== null)
      check(
        `${name} RSS ≤ node + 32 MiB: ${r.name}`,
        c[name].rss <= c['node -e 0'].rss + 32 * MB,
        `+${mb(c[name].rss - c['node -e 0'].rss)} MB`,
        { limit: '+32 MiB' },
      );
  if (r.mb === 50 && r.ratios.jcoAddToAdd !== undefined)
    check(
      `add ≥ 5× faster than jco metadata-add: ${r.name}`,
      r.ratios.jcoAddToAdd >= 5,
      `${r.ratios.jcoAddToAdd.toFixed(1)}×`,
      {
        limit: '≥ 5×',
        outOfReach: r.ratios.jcoAddCeiling < 5,
        why: `${r.ratios.jcoAddCeiling < 5 ? 'out of reach here: ' : ''}jco's CLI took ${ms(c['jco add'].wall)} ms and add ${ms(c.add.wall)} ms: 5× needs add ≤ ${ms(c['jco add'].wall / 5)} ms, and the durable kernel copy alone took ${ms(c['durable kernel copy'].wall)} ms (jco is ${r.ratios.jcoAddCeiling.toFixed(2)}× that floor; node -e 0 ${ms(c['node -e 0'].wall)} ms)`,
      },
    );
  if (r.inProcess.jcoAdd !== undefined)
    check(`edit ≤ 0.25× jco metadataAdd: ${r.name}`, inTarget(r) <= 0.25, `${inTarget(r).toFixed(2)}×`, {
      limit: '0.25×',
      why: `ours took ${ms(r.inProcess.edit)} ms and jco's ${ms(r.inProcess.jcoAdd)} ms: ${
        r.inProcess.jcoAdd < 0.1
          ? `both take microseconds on this input (ours ${(1000 * r.inProcess.edit).toFixed(0)} µs, jco's ${(1000 * r.inProcess.jcoAdd).toFixed(0)} µs): a cost per call (checking the edit's values, encoding the sections), not per byte`
          : `ours walks and checks the framing of every one of the ${r.count ?? 'nested'} binaries, so that a broken file is refused, not passed on`
      }`,
    });
  if (r.mb === 50 && r.ratios.jcoShowToShow !== undefined)
    check(
      `show ≥ 5× faster than jco metadata-show: ${r.name}`,
      r.ratios.jcoShowToShow >= 5,
      `${r.ratios.jcoShowToShow.toFixed(2)}×`,
      {
        limit: '≥ 5×',
        outOfReach: r.ratios.jcoShowCeiling < 5,
        why: `${r.ratios.jcoShowCeiling < 5 ? 'out of reach here: ' : ''}jco's CLI took ${ms(c['jco show'].wall)} ms and show ${ms(c.show.wall)} ms: 5× needs show ≤ ${ms(c['jco show'].wall / 5)} ms, ${(c['jco show'].wall / 5 / c['node -e 0'].wall).toFixed(2)}× a bare Node start (${ms(c['node -e 0'].wall)} ms; jco is ${r.ratios.jcoShowCeiling.toFixed(2)}× it)`,
      },
    );
}
check('in-process read of 50 MB in memory ≤ 1 ms', read50 <= 1, `${ms(read50)} ms`, { limit: '1 ms' });
for (const [command, loaded] of Object.entries(lazy)) {
  const registry = loaded.bundles.filter((b) => /^(push|pull|inspect|package-manifest)\.js$/.test(b));
  check(
    `${command} loads no registry, HTTP or package-manifest code`,
    registry.length === 0 && loaded.network.length === 0,
    `bundles: ${loaded.bundles.join(', ')}${loaded.network.length ? `; network: ${loaded.network.join(', ')}` : ''}`,
    { limit: 'none', why: 'a fast path imports registry or network code' },
  );
}

const sizeRows = results
  .filter((r) => r.kind === 'size')
  .map((r) => [r.name, ms(r.inProcess.read), ms(r.cli.show.wall), `${(r.showBytesRead / 1024).toFixed(0)} KiB`]);
const nestRows = results
  .filter((r) => r.kind === 'nesting')
  .map((r) => [
    r.name,
    ms(r.inProcess.read),
    ms(r.inProcess.jcoShow),
    ms(r.cli.show.wall),
    ms(r.cli['show --json'].wall),
  ]);

const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
const machine = `${cpus().length} × ${cpu}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB, Node.js ${NODE_VERSION}${NODE === process.execPath ? '' : ` (in-process figures: ${process.version})`}, median of ${RUNS_ARG ?? '15 (7 from 50 MB)'} runs, ${new Date().toISOString().slice(0, 10)}`;
const failed = targets.filter((t) => !t.ok);
const outOfReach = failed.filter((t) => t.outOfReach);
const report = [
  `Machine: ${machine}`,
  '',
  `CLI wall time (ms, median) and peak RSS above the reference (MB). Ratios are medians of paired runs (the same round), which cancels machine drift; node -e 0 took ${ms(startup.wall)} ms and ${mb(startup.rss)} MB over all ${startupSamples.wall.length} runs.`,
  '',
  table(['file', 'MB', ...TIME_COLUMNS], cliRows),
  '',
  "Ratios (medians of paired runs) and peak RSS above node -e 0 (MB). The floor of `add` is a durable kernel copy (to a new file for `-o`, over the input for `--in-place`): no durable edit can take less. `first change` is where `add`'s output first differs from the input; the kernel copies the bytes before it.",
  '',
  table(
    [
      'file',
      'show/node',
      'add/copy',
      'add -i/copy',
      'kernel copy/copy',
      'floor/copy',
      'floor -i/copy',
      'add/floor',
      'add -i/floor -i',
      'first change',
      'show RSS',
      'show --json RSS',
      'add RSS',
      'add -i RSS',
    ],
    ratioRows,
  ),
  '',
  'In-process (ms) and bytes read by `show`',
  '',
  table(
    [
      'file',
      'read',
      'jco metadataShow',
      'edit (chunks)',
      'edit + join',
      'jco metadataAdd',
      'edit/jco',
      'edit + join/jco',
      'show reads',
    ],
    inRows.map((row, i) => {
      const r = results[i];
      return [...row.slice(0, 6), ratio(r.inProcess.edit, r.inProcess.jcoAdd), ...row.slice(6)];
    }),
  ),
  '',
  `Time versus size: read grows with the sections, not the bytes (50 MB in memory: ${ms(read50)} ms)`,
  '',
  table(['file', 'in-process read', 'CLI show', 'show reads'], sizeRows),
  '',
  'Time versus nesting',
  '',
  table(['file', 'in-process read', 'jco metadataShow', 'CLI show', 'CLI show --json'], nestRows),
  '',
  `Targets: ${targets.length - failed.length} of ${targets.length} met${failed.length ? `; missed: ${failed.length}, each with why; ${outOfReach.length} of these are out of reach on this machine (its own floor, a bare Node start or a durable kernel copy, already misses them), ${failed.length - outOfReach.length} are not` : ''}`,
  '',
  table(
    ['target', 'measured', 'limit', 'result', 'why missed'],
    targets.map((t) => [
      t.name,
      t.measured,
      t.limit,
      t.ok ? 'met' : t.outOfReach ? 'missed: out of reach here' : '**MISSED**',
      t.why ?? '',
    ]),
  ),
].join('\n');

console.log(report);
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(
  join(ROOT, 'bench', 'results', `${RESULTS_NAME}.json`),
  JSON.stringify(
    { machine, runs: RUNS_ARG ?? 'adaptive', startup, read50MbMs: read50, lazy, results, targets },
    null,
    2,
  ) + '\n',
);
writeFileSync(join(ROOT, 'bench', 'results', `${RESULTS_NAME}.md`), report + '\n');
rmSync(OUT, { force: true });
rmSync(IN_PLACE, { force: true });
