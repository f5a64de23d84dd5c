#!/usr/bin/env node
// The wasm-meta fuzzer: `npm run fuzz -- --iterations N --seed S`.
//
// Each iteration mutates a corpus file or a generated binary (bit flips, truncation, size fields
// rewritten to zero, 4 GiB or overlong, duplicated and swapped sections, deep nesting, many
// sections, invalid UTF-8 in names and values, hostile metadata values) and runs read, show,
// annotations, check, add, nested add, clear-all and migrate on it in a worker thread
// (fuzz/operations.mjs). A failure is an exception other than WasmMetaError, an edit that does
// not read back, a case over the time limit (1 s), or a case that runs out of its heap (256 MiB)
// or takes the process over 2 GiB;
// its input is shrunk and saved to fuzz/crashes/ with a JSON description. Exit code 1 if any.
//
// Options: --iterations N (1000), --seed S (random, printed), --crashes DIR, --time-limit MS,
// --no-time-limit (check results only, not seconds: how `npm test` replays inputs, so that a busy
// machine fails nothing; a case that does not answer at all is still a hang), --hang MS, --heap MB,
// --rss MB, --only I (re-run iteration I of the seed), --inputs DIR (run each .wasm file in DIR,
// such as saved crashes), --quiet.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearInterval, clearTimeout, setInterval, setTimeout } from 'node:timers';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { generatedSeeds, mutate, prng } from './mutate.mjs';
import { concat, walkSections } from '../scripts/wasm-builder.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');

/**
 * Default bounds of one case: its time, the JavaScript heap of the worker, and the memory of
 * the whole process (which also counts array buffers, outside the heap), sampled as it runs.
 */
export const FUZZ_LIMITS = { timeLimitMs: 1000, heapMb: 256, rssMb: 2048, hangMs: 30_000 };

/** A worker that runs cases one at a time and is replaced when it dies or hangs. */
class CaseRunner {
  constructor(operations, heapMb, hangMs, rssMb = FUZZ_LIMITS.rssMb) {
    this.operations = operations;
    this.heapMb = heapMb;
    this.hangMs = hangMs;
    this.rssMb = rssMb;
    this.nextId = 0;
  }

  async start() {
    this.worker = new Worker(join(HERE, 'worker.mjs'), {
      workerData: { operations: this.operations },
      resourceLimits: { maxOldGenerationSizeMb: this.heapMb, maxYoungGenerationSizeMb: 32 },
    });
    this.worker.unref();
    await new Promise((resolveReady, reject) => {
      this.worker.once('message', (m) => (m.ready ? resolveReady() : reject(new Error('worker did not start'))));
      this.worker.once('error', reject);
    });
  }

  /** Runs the operations on `bytes`: `{ ok, ms, … }`, or `{ ok: false, kind: 'memory' | 'hang' | 'crash' }`. */
  async run(bytes) {
    if (this.worker === undefined) await this.start();
    const id = this.nextId++;
    const worker = this.worker;
    let peakRss = process.memoryUsage.rss();
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 20);
    const result = await new Promise((resolveResult) => {
      const timer = setTimeout(
        () => finish({ ok: false, kind: 'hang', message: `no answer in ${this.hangMs} ms` }),
        this.hangMs,
      );
      const onMessage = (m) => m.id === id && finish({ ...m, kind: m.ok ? undefined : 'exception' });
      const onError = (error) =>
        finish({
          ok: false,
          kind: error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'memory' : 'crash',
          message: `the worker died: ${error.message}`,
        });
      const onExit = (code) => finish({ ok: false, kind: 'crash', message: `the worker exited with code ${code}` });
      function finish(value) {
        clearTimeout(timer);
        clearInterval(sampler);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        resolveResult(value);
      }
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage({ id, bytes });
    });
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    if (result.ok && peakRss > this.rssMb * 1024 * 1024) {
      return { ok: false, kind: 'memory', message: `the process reached ${(peakRss / 2 ** 20).toFixed(0)} MiB` };
    }
    if (result.kind === 'hang' || result.kind === 'memory' || result.kind === 'crash') {
      await worker.terminate();
      this.worker = undefined;
    }
    return result;
  }

  async stop() {
    await this.worker?.terminate();
  }
}

/** What identifies a failure, whatever the input: its kind, operation, error and message shape. */
function signatureOf(result) {
  const message = String(result.message ?? '')
    .split('\n')[0]
    .replace(/\d+/g, 'N')
    .slice(0, 200);
  return [result.kind, result.operation ?? '', result.name ?? '', message].join(' | ');
}

/** A failure, or `undefined`: slow cases are re-run once, so that a GC pause is not a finding. */
async function failureOf(runner, bytes, timeLimitMs, stats) {
  let result = await runner.run(bytes);
  if (stats !== undefined && result.ok) {
    if (!result.typed.some((t) => t.startsWith('read:'))) stats.readable++;
    if (!result.typed.some((t) => t.startsWith('add:'))) stats.edited++;
    stats.slowestMs = Math.max(stats.slowestMs, result.ms);
  }
  if (result.ok && result.ms > timeLimitMs) {
    result = await runner.run(bytes);
    if (result.ok && result.ms > timeLimitMs) {
      return { ok: false, kind: 'slow', message: `took ${result.ms.toFixed(0)} ms (limit ${timeLimitMs} ms)` };
    }
  }
  return result.ok ? undefined : result;
}

/** Shrinks `bytes` while the failure keeps its signature: whole sections first, then byte ranges. */
async function shrink(runner, bytes, signature, timeLimitMs, budget = 300) {
  let best = bytes;
  const stillFails = async (candidate) => {
    if (budget-- <= 0) return false;
    const failure = await failureOf(runner, candidate, timeLimitMs);
    return failure !== undefined && signatureOf(failure) === signature;
  };
  for (const s of walkSections(best)
    .filter((x) => x.parents.length === 0)
    .reverse()) {
    const candidate = without(best, s.start, s.end);
    if (await stillFails(candidate)) best = candidate;
  }
  for (let chunk = Math.floor(best.length / 2); chunk >= 1 && budget > 0; chunk = Math.floor(chunk / 2)) {
    for (let at = 8; at < best.length && budget > 0;) {
      const candidate = without(best, at, Math.min(best.length, at + chunk));
      if (await stillFails(candidate)) best = candidate;
      else at += chunk;
    }
  }
  return best;
}

/** `bytes` with `bytes[from..to]` taken out. */
function without(bytes, from, to) {
  return concat(bytes.subarray(0, from), bytes.subarray(to));
}

/** The inputs to mutate: the corpus files (if present) and generated binaries. */
export function loadBases(corpusDir) {
  const bases = generatedSeeds();
  if (corpusDir !== undefined && existsSync(corpusDir)) {
    for (const name of readdirSync(corpusDir)
      .filter((f) => f.endsWith('.wasm'))
      .sort()) {
      bases.push({ name, bytes: new Uint8Array(readFileSync(join(corpusDir, name))) });
    }
  }
  return bases;
}

/**
 * Runs the fuzzer. Iteration `i` depends only on the seed and `i`, so any failure can be
 * replayed with `--only i`. Resolves to a summary; failures are saved under `crashesDir`.
 */
export async function runFuzz({
  iterations = 1000,
  seed = 1,
  bases,
  crashesDir = join(HERE, 'crashes'),
  operations = pathToFileURL(join(HERE, 'operations.mjs')).href,
  timeLimitMs = FUZZ_LIMITS.timeLimitMs,
  heapMb = FUZZ_LIMITS.heapMb,
  hangMs = FUZZ_LIMITS.hangMs,
  rssMb = FUZZ_LIMITS.rssMb,
  only,
  log = () => {},
}) {
  const runner = new CaseRunner(operations, heapMb, hangMs, rssMb);
  const failures = new Map();
  // How deep the inputs get: how many still read, and how many an edit accepts.
  const stats = { readable: 0, edited: 0, slowestMs: 0 };
  const started = performance.now();
  let ran = 0;
  try {
    for (let i = only ?? 0; i < (only === undefined ? iterations : only + 1); i++) {
      const rng = prng(Math.imul(seed, 0x9e3779b1) ^ i);
      // Small bases more often: they give more iterations per second.
      const base = rng.chance(0.5) ? bases[rng.int(Math.min(3, bases.length))] : bases[rng.int(bases.length)];
      const { bytes, applied } = mutate(rng, base.bytes);
      const failure = await failureOf(runner, bytes, timeLimitMs, stats);
      ran++;
      if (failure !== undefined) {
        const signature = signatureOf(failure);
        if (!failures.has(signature)) {
          log(`fuzz: iteration ${i}: ${signature}`);
          const small = failure.kind === 'exception' ? await shrink(runner, bytes, signature, timeLimitMs) : bytes;
          const file = saveCrash(crashesDir, signature, small, {
            ...failure,
            signature,
            seed,
            iteration: i,
            base: base.name,
            mutations: applied,
            originalSize: bytes.length,
            size: small.length,
          });
          failures.set(signature, { ...failure, signature, iteration: i, file });
        }
      }
      if (iterations >= 10 && i % Math.ceil(iterations / 10) === 0 && i > 0) {
        const rate = (ran / ((performance.now() - started) / 1000)).toFixed(0);
        log(`fuzz: ${i} of ${iterations} (${rate}/s), ${failures.size} failures`);
      }
    }
  } finally {
    await runner.stop();
  }
  return { iterations: ran, seconds: (performance.now() - started) / 1000, stats, failures: [...failures.values()] };
}

function saveCrash(dir, signature, bytes, details) {
  mkdirSync(dir, { recursive: true });
  const id = createHash('sha256').update(signature).digest('hex').slice(0, 12);
  const file = join(dir, `${id}.wasm`);
  writeFileSync(file, bytes);
  writeFileSync(join(dir, `${id}.json`), `${JSON.stringify(details, null, 2)}\n`);
  return file;
}

function parseArgs(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    const number = () => {
      const v = Number(value());
      if (!Number.isInteger(v) || v < 0) throw new Error(`${arg} needs a whole number`);
      return v;
    };
    if (arg === '--iterations') options.iterations = number();
    else if (arg === '--seed') options.seed = number();
    else if (arg === '--only') options.only = number();
    else if (arg === '--time-limit') options.timeLimitMs = number();
    else if (arg === '--no-time-limit') options.timeLimitMs = Infinity;
    else if (arg === '--heap') options.heapMb = number();
    else if (arg === '--crashes') options.crashesDir = resolve(value());
    else if (arg === '--corpus') options.corpusDir = resolve(value());
    else if (arg === '--inputs') options.inputs = resolve(value());
    else if (arg === '--hang') options.hangMs = number();
    else if (arg === '--rss') options.rssMb = number();
    else if (arg === '--operations') options.operations = pathToFileURL(resolve(value())).href;
    else if (arg === '--quiet') options.quiet = true;
    else throw new Error(`unknown option ${arg}`);
  }
  return options;
}

/** Runs the operations on every `.wasm` file in `options.inputs` (saved crashes, regressions). */
async function replayInputs(options) {
  const runner = new CaseRunner(
    options.operations ?? pathToFileURL(join(HERE, 'operations.mjs')).href,
    options.heapMb ?? FUZZ_LIMITS.heapMb,
    options.hangMs ?? FUZZ_LIMITS.hangMs,
  );
  let failed = 0;
  try {
    for (const name of readdirSync(options.inputs)
      .filter((f) => f.endsWith('.wasm'))
      .sort()) {
      const bytes = new Uint8Array(readFileSync(join(options.inputs, name)));
      const failure = await failureOf(runner, bytes, options.timeLimitMs ?? FUZZ_LIMITS.timeLimitMs);
      if (failure !== undefined) failed++;
      console.log(`${name}: ${failure === undefined ? 'ok' : signatureOf(failure)}`);
    }
  } finally {
    await runner.stop();
  }
  return failed === 0 ? 0 : 1;
}

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`fuzz: ${error.message}`);
    return 2;
  }
  if (!existsSync(join(ROOT, 'dist', 'index.js'))) {
    console.error('fuzz: run `npm run build` first (npm run fuzz does it)');
    return 2;
  }
  const log = options.quiet ? () => {} : (line) => console.error(line);
  if (options.inputs !== undefined) return replayInputs(options);
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const corpusDir = options.corpusDir ?? join(ROOT, '..', 'shared', 'corpus');
  if (!existsSync(corpusDir)) log(`fuzz: ${corpusDir} is absent; fuzzing generated binaries only`);
  const bases = loadBases(corpusDir);
  log(`fuzz: seed ${seed}, ${options.iterations ?? 1000} iterations over ${bases.length} inputs`);
  const summary = await runFuzz({ ...options, seed, bases, log });
  const { readable, edited, slowestMs } = summary.stats;
  console.log(
    `fuzz: ${summary.iterations} iterations in ${summary.seconds.toFixed(1)} s (seed ${seed}): ` +
      `${summary.failures.length === 0 ? 'no failures' : `${summary.failures.length} failures`}; ` +
      `${readable} inputs read, ${edited} edited, slowest case ${slowestMs.toFixed(0)} ms`,
  );
  for (const f of summary.failures) console.log(`  ${f.signature}\n    iteration ${f.iteration}, saved to ${f.file}`);
  return summary.failures.length === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
