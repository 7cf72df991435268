/**
 * Feature frames out of pulse: CSV or JSON files of timestamp, features and labels (streamed, shortest round-trip
 * numbers, empty cells / null for NaN), and the summary `pulse features` prints.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { createPace } from '../core/async.js';
import { formatCsvNumber, formatCsvTime } from '../core/csv-format.js';
import type { FeatureFrame } from './feature-frame.js';

/**
 * Write the frame as CSV (timestamp, features, labels) or JSON (columns). Every 64 KB chunk is a safe point: once
 * `signal` aborts, the write stops there with an InterruptedError.
 */
export async function writeFrame(frame: FeatureFrame, format: 'csv' | 'json', out: Writable, signal?: AbortSignal): Promise<void> {
  const cols = [...frame.columns, ...frame.labels];
  const names = [...frame.names, ...frame.labelNames];
  const pace = createPace(signal);
  let chunk = '';
  const flush = async () => {
    await pace();
    if (!out.write(chunk)) await once(out, 'drain');
    chunk = '';
  };
  if (format === 'csv') {
    chunk = `timestamp,${names.join(',')}\n`;
    for (let i = 0; i < frame.rows; i++) {
      chunk += formatCsvTime(frame.time[i]);
      for (const c of cols) chunk += `,${formatCsvNumber(c[i])}`;
      chunk += '\n';
      if (chunk.length > 1 << 16) await flush();
    }
  } else {
    chunk = `{"symbol":${JSON.stringify(frame.symbol)},"interval":"${frame.interval}","set":${JSON.stringify(frame.set)},"names":${JSON.stringify(names)},"rows":[`;
    for (let i = 0; i < frame.rows; i++) {
      chunk += `${i ? ',' : ''}\n[${JSON.stringify(new Date(frame.time[i]).toISOString())}`;
      for (const c of cols) chunk += `,${Number.isNaN(c[i]) ? 'null' : String(c[i])}`;
      chunk += ']';
      if (chunk.length > 1 << 16) await flush();
    }
    chunk += '\n]}\n';
  }
  await flush();
}

/** Rows, ranges, the newest value of every feature and how many rows of each label are known. */
export function summarizeFrame(frame: FeatureFrame, file: string | null, checked: boolean) {
  const last = frame.rows - 1;
  const complete = (i: number) => frame.columns.every((c) => !Number.isNaN(c[i]));
  let firstComplete = -1;
  for (let i = 0; i < frame.rows; i++) if (complete(i)) { firstComplete = i; break; }
  return {
    symbol: frame.symbol,
    interval: frame.interval,
    set: frame.set,
    rows: frame.rows,
    features: frame.names.length,
    labels: frame.labelNames,
    lookback: frame.lookback,
    first: frame.time[0],
    last: frame.time[last],
    firstCompleteRow: firstComplete < 0 ? null : frame.time[firstComplete],
    lookaheadChecked: checked,
    cached: frame.cached,
    exported: file,
    latest: frame.names.map((name, j) => ({ name, group: frame.features[j].group, value: nullIfNaN(frame.columns[j][last]), nanRows: countNaN(frame.columns[j]) })),
    labelsKnown: frame.labelNames.map((name, j) => ({ name, known: frame.rows - countNaN(frame.labels[j]) })),
  };
}

function nullIfNaN(v: number): number | null {
  return Number.isNaN(v) ? null : v;
}

function countNaN(c: Float64Array): number {
  let n = 0;
  for (let i = 0; i < c.length; i++) if (Number.isNaN(c[i])) n++;
  return n;
}

/** What {@link summarizeFrame} returns. */
export type FrameSummary = ReturnType<typeof summarizeFrame>;
