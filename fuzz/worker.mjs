// A fuzzing worker: runs the operations on each input it is sent and reports how it went. It
// runs under the heap limits the harness gives it, so that runaway memory ends the worker
// (and is reported) instead of the machine.
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';

const { runOperations } = await import(workerData.operations);

parentPort.on('message', ({ id, bytes }) => {
  const start = performance.now();
  try {
    const typed = runOperations(bytes);
    parentPort.postMessage({ id, ok: true, ms: performance.now() - start, typed });
  } catch (error) {
    parentPort.postMessage({
      id,
      ok: false,
      ms: performance.now() - start,
      operation: error?.operation ?? 'unknown',
      name: error?.name ?? typeof error,
      message: String(error?.message ?? error),
      stack: String(error?.stack ?? ''),
    });
  }
});
parentPort.postMessage({ ready: true });
