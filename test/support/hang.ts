/**
 * Bounds on hangs, never speed targets. `npm test` must pass on a busy machine, so no test
 * depends on how fast something runs: a test waits for the condition it needs, and these bounds
 * only end a wait, a child process or a test that would otherwise never finish. Speed targets
 * belong to `npm run bench` and time limits to `npm run fuzz`.
 */

/** The longest a child process or a wait inside a test may take before it counts as hung. */
export const HANG_MS = 300_000;

/**
 * The longest a whole test or hook may take (vitest's testTimeout and hookTimeout): longer
 * than {@link HANG_MS}, so that a hung child or wait fails first and says what it was.
 */
export const TEST_HANG_MS = 600_000;

/**
 * Polls `condition` every `intervalMs` until it holds. Throws, naming `what`, if it still does
 * not hold after `timeoutMs` (a bound on a hang, not on how long the condition may take).
 */
export async function waitFor(
  condition: () => boolean,
  what: string,
  { intervalMs = 5, timeoutMs = HANG_MS }: { intervalMs?: number; timeoutMs?: number } = {},
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`gave up waiting for ${what} after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
