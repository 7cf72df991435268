import { readFileSync } from 'node:fs';
import type { SourceRow } from '../../src/core/bars.js';
import { sharedPath } from '../helpers/shared.js';

/**
 * Read one of the normalised shared market CSVs (`timestamp,open,high,low,close,volume`, ISO-8601 UTC) with a
 * deliberately naive parser, independent of the CSV importer under test. Empty fields become NaN.
 */
export function readSharedRows(...parts: string[]): SourceRow[] {
  const lines = readFileSync(sharedPath('data', 'market', ...parts), 'utf8').split('\n');
  const rows: SourceRow[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line === '') continue;
    const f = line.split(',');
    const num = (s: string): number => (s === '' ? NaN : Number(s));
    rows.push({ ts: Date.parse(f[0]), open: num(f[1]), high: num(f[2]), low: num(f[3]), close: num(f[4]), volume: num(f[5]), adjClose: null, raw: line });
  }
  return rows;
}
