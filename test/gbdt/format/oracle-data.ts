/** Readers for the oracle data files (dense CSV/TSV and libsvm) used by the model-format tests. */
import { readFileSync } from 'node:fs';

/** A row-major matrix read from a data file. */
export interface Matrix {
  X: Float64Array;
  rows: number;
  cols: number;
}

function parseCell(s: string): number {
  const t = s.trim();
  if (t === '' || t === 'NaN' || t === 'NA' || t === 'N/A') return NaN;
  const v = Number(t);
  if (Number.isNaN(v)) throw new Error(`not a number: '${s}'`);
  return v;
}

/** Read a delimited numeric file; `header` skips the first line; `skipCols` drops leading columns (e.g. a label). */
export function readDense(path: string, opts: { sep?: string | RegExp; header?: boolean; skipCols?: number } = {}): Matrix {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  const body = opts.header ? lines.slice(1) : lines;
  const sep = opts.sep ?? /[\t,]/;
  const skip = opts.skipCols ?? 0;
  const cols = body[0].split(sep).length - skip;
  const X = new Float64Array(body.length * cols);
  body.forEach((line, r) => {
    const cells = line.split(sep);
    if (cells.length - skip !== cols) throw new Error(`${path}:${r + 1}: ${cells.length} cells`);
    for (let c = 0; c < cols; c++) X[r * cols + c] = parseCell(cells[c + skip]);
  });
  return { X, rows: body.length, cols };
}

/** Read one named column (or all columns) of a CSV with a header into a flat row-major array. */
export function readCsvColumns(path: string, columns: string[]): Float64Array {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0].split(',');
  const idx = columns.map((c) => {
    const i = header.indexOf(c);
    if (i < 0) throw new Error(`${path}: no column ${c}`);
    return i;
  });
  const out = new Float64Array((lines.length - 1) * columns.length);
  for (let r = 1; r < lines.length; r++) {
    const cells = lines[r].split(',');
    idx.forEach((i, j) => (out[(r - 1) * columns.length + j] = parseCell(cells[i])));
  }
  return out;
}

/** Read a libsvm file (first token = target, dropped); absent entries become `absent` (0 or NaN). */
export function readLibsvm(path: string, cols: number, absent: number): Matrix {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  const X = new Float64Array(lines.length * cols).fill(absent);
  lines.forEach((line, r) => {
    for (const tok of line.trim().split(/\s+/).slice(1)) {
      const [i, v] = tok.split(':');
      const c = Number(i);
      if (c >= cols) throw new Error(`${path}:${r + 1}: feature ${c} >= ${cols}`);
      X[r * cols + c] = Number(v);
    }
  });
  return { X, rows: lines.length, cols };
}

/** Largest absolute difference between two arrays of the same length. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Largest difference in float32 ulps after rounding both sides to float32. */
export function maxUlpF32(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`);
  const f = new Float32Array(2);
  const bits = new Int32Array(f.buffer);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    f[0] = a[i];
    f[1] = b[i];
    // Map the sign-magnitude float bits onto a monotonic integer line.
    const x = bits[0] < 0 ? -2147483648 - bits[0] : bits[0];
    const y = bits[1] < 0 ? -2147483648 - bits[1] : bits[1];
    m = Math.max(m, Math.abs(x - y));
  }
  return m;
}
