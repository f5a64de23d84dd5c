/** Exit codes of the `wasm-meta` command: success, bad input, usage error. */
export const EXIT = { ok: 0, badInput: 1, usage: 2 } as const;
