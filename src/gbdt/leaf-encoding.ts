/**
 * Compact storage of leaf values: IEEE 754 half precision (float16, stored as its 16-bit pattern) or 8-bit
 * integers with a per-tree scale (int8: value = code x scale, code in [-127, 127]). The pulse JSON writer stores a
 * model's leaves this way when the model carries a {@link LeafEncoding}; the in-memory leaf values are then exactly
 * the decoded values, so a model predicts the same before writing and after reading (see docs/model-format.md).
 */

/** How leaf values are stored: `float64` (plain JSON numbers), `float16` bit patterns, or `int8` codes with a scale. */
export type LeafEncodingName = 'float64' | 'float16' | 'int8';

/** Every leaf encoding, finest first. */
export const LEAF_ENCODINGS: readonly LeafEncodingName[] = ['float64', 'float16', 'int8'];

/** A model's compact leaf storage: float16, or int8 with one scale per tree (parallel to the ensemble's trees). */
export type LeafEncoding = { kind: 'float16' } | { kind: 'int8'; scales: Float64Array };

/** Largest finite float16 value. */
export const FLOAT16_MAX = 65504;

/** Largest int8 code magnitude (-128 is not used, so the codes are symmetric). */
export const INT8_MAX = 127;

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * The float16 bit pattern nearest to `v` (round half to even, as IEEE 754 conversion does). Values beyond
 * {@link FLOAT16_MAX} (after rounding) become infinities, NaN the quiet NaN 0x7e00.
 */
export function toFloat16Bits(v: number): number {
  if (Number.isNaN(v)) return 0x7e00;
  const sign = v < 0 || Object.is(v, -0) ? 0x8000 : 0;
  const a = Math.abs(v);
  if (a >= 65520) return sign | 0x7c00; // 65520 is the midpoint between 65504 and the next (absent) value
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  if (2 ** (e + 1) <= a) e++;
  if (a === 0 || e < -14) return sign | roundHalfEven(a / 2 ** -24); // subnormal; 1024 reads as the smallest normal
  let m = roundHalfEven((a / 2 ** e - 1) * 1024);
  if (m === 1024) {
    m = 0;
    e++;
  }
  if (e > 15) return sign | 0x7c00;
  return sign | ((e + 15) << 10) | m;
}

/** The value of a float16 bit pattern (0..65535). */
export function fromFloat16Bits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const e = (bits >> 10) & 0x1f;
  const m = bits & 0x3ff;
  if (e === 0) return sign * m * 2 ** -24;
  if (e === 31) return m ? NaN : sign * Infinity;
  return sign * (1 + m / 1024) * 2 ** (e - 15);
}

/** `v` rounded to the nearest float16 value. */
export function roundToFloat16(v: number): number {
  return fromFloat16Bits(toFloat16Bits(v));
}

/** The int8 scale of a tree's leaf values: the largest |value| maps to code 127 (1 when every value is 0). */
export function int8ScaleOf(values: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i]));
  return max > 0 ? max / INT8_MAX : 1;
}

/** The int8 code of `v` at `scale` (rounded to nearest, clamped to [-127, 127]; never -0, which JSON cannot keep). */
export function toInt8Code(v: number, scale: number): number {
  return Math.max(-INT8_MAX, Math.min(INT8_MAX, Math.round(v / scale))) || 0;
}

/** The value of an int8 code at `scale`. */
export function fromInt8Code(code: number, scale: number): number {
  return code * scale;
}
