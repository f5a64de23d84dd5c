/**
 * Exit codes of the `wasm-meta` command: success, bad input (a file, a value, a registry), a
 * usage error, and an internal error (a bug in wasm-meta: please report it).
 */
export const EXIT = { ok: 0, badInput: 1, usage: 2, internal: 70 } as const;
