/**
 * The index of the last entry of an ascending array that is at most `value` (0 when none is): which line, segment
 * or piece an offset falls in, given where each one starts.
 */
export function lastAtOrBefore(starts: readonly number[], value: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= value) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
