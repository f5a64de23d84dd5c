declare module 'spdx-correct' {
  /**
   * npm's corrector of licence strings: a valid SPDX expression that `identifier` was probably
   * meant to be (`Apache 2` to `Apache-2.0`), or `null`. `upgrade: false` keeps deprecated GNU ids.
   */
  export default function correct(identifier: string, options?: { upgrade?: boolean }): string | null;
}
