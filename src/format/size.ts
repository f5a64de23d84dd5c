/**
 * Human-readable sizes as wasm-tools prints them (the `bytesize` crate's short SI form):
 * `8B`, `1.6M`, `14.0M`; no `B` after a prefix.
 */
export function formatSize(bytes: number): string {
  if (bytes < 1000) return `${bytes}B`;
  const exponent = Math.trunc(Math.log(bytes) / Math.log(1000));
  const value = bytes / 1000 ** exponent;
  return `${toFixedOneTiesEven(value)}${'kMGTPE'[exponent - 1] ?? '?'}`;
}

/**
 * `value` with one decimal, rounded as Rust's `{:.1}`: on the exact binary value, ties to the
 * even digit. `toFixed` rounds exact ties up, and exact ties at one decimal occur only for
 * values with a fraction of .25 or .75, where `value * 4` is an integer.
 */
export function toFixedOneTiesEven(value: number): string {
  if (Number.isInteger(value * 4) && !Number.isInteger(value * 2)) {
    let tenths = Math.floor(value * 10);
    if (tenths % 2 !== 0) tenths++;
    return (tenths / 10).toFixed(1);
  }
  return value.toFixed(1);
}

/**
 * The SIZE% column: the size as a share of the whole file, rounded half away from zero;
 * `<1%` up to 1, and `>99%` for a nested binary that would otherwise show as 100%.
 */
export function formatShare(range: { start: number; end: number }, fileEnd: number): string {
  const percent = Math.round(((range.end - range.start) / fileEnd) * 100);
  if (percent <= 1) return '<1%';
  if (percent >= 100 && range.end !== fileEnd) return '>99%';
  return `${percent}%`;
}
