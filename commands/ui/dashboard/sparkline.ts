/** A one-line chart of a series in block characters (▁▂▃▄▅▆▇█), for the terminal dashboard. */

const BLOCKS = '▁▂▃▄▅▆▇█';

/**
 * The series drawn in at most `width` characters: with more points than characters, each character shows the last
 * value of its share of the points (an equity curve's level at the end of that stretch); the lowest value is ▁ and
 * the highest █, and a flat series is drawn at mid height. Non-finite values are skipped. Empty for no points.
 */
export function sparkline(values: readonly number[], width: number): string {
  const finite = values.filter((v) => Number.isFinite(v));
  const n = Math.min(finite.length, Math.max(0, Math.floor(width)));
  if (n === 0) return '';
  const sampled = Array.from({ length: n }, (_, i) => finite[Math.ceil(((i + 1) * finite.length) / n) - 1]);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of sampled) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const top = BLOCKS.length - 1;
  if (hi === lo) return BLOCKS[top >> 1].repeat(n);
  return sampled.map((v) => BLOCKS[Math.round(((v - lo) / (hi - lo)) * top)]).join('');
}
