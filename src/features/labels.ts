/**
 * Training labels: the only forward-looking columns pulse builds. A row whose label is not yet known (its
 * horizon runs past the last bar and no barrier was hit) is NaN: excluded from training, kept for prediction.
 */
import { z } from 'zod';
import { ConfigError, DataError } from '../core/errors.js';
import { describeIssues, type DescribeIssueOptions } from '../core/zod-issues.js';
import type { BarSeries } from '../core/bars.js';
import { rollingStd } from './kernels/rolling.js';
import { nanArray } from './types.js';

const horizon = z.number().int().min(1).max(100_000);

/** zod schema of one label spec. */
export const labelSpecSchema = z.discriminatedUnion('kind', [
  /** Forward log return ln(C_(t+h)/C_t) (regression). */
  z.object({ kind: z.literal('forwardReturn'), horizon }).strict(),
  /**
   * Direction of the forward log return over h with a dead zone (log-return units): ternary 1 / 0 / -1 for
   * r > dz / |r| <= dz / r < -dz; binary 1 / 0 for r > dz / r < -dz with dead-zone rows NaN (excluded).
   */
  z
    .object({
      kind: z.literal('direction'),
      horizon,
      deadZone: z.number().min(0).max(1).default(0),
      classes: z.enum(['ternary', 'binary']).default('ternary'),
    })
    .strict(),
  /**
   * Triple barrier on the close path: +1 if ln(C_(t+j)/C_t) first reaches +profitTake x vol, -1 if it first reaches
   * -stopLoss x vol (j = 1..h), 0 if neither within h bars; vol = sample sd of the last `volWindow` one-bar log
   * returns at t (known at t).
   */
  z
    .object({
      kind: z.literal('tripleBarrier'),
      horizon,
      profitTake: z.number().positive().max(1000),
      stopLoss: z.number().positive().max(1000),
      volWindow: z.number().int().min(2).max(100_000).default(20),
    })
    .strict(),
]);

/** A validated label spec. */
export type LabelSpec = z.output<typeof labelSpecSchema>;

/** Computed labels, column-major like a feature matrix. */
export interface LabelMatrix {
  /** Label names: `fwdret_H`, `dir_H_DZ`, `dirbin_H_DZ`, `tb_H_PT_SL_VW`. */
  names: string[];
  /** One Float64Array per label, NaN where not (yet) known. */
  columns: Float64Array[];
  /** Bars each label looks ahead (its horizon). */
  horizons: number[];
}

/**
 * Parse label specs from user input with one clear ConfigError naming each bad field, its value and the allowed
 * range; `name` says how the user wrote a field (the `--labels` syntax calls `horizon` `h`).
 */
export function parseLabelSpecs(input: unknown, options: DescribeIssueOptions = {}): LabelSpec[] {
  const parsed = z.array(labelSpecSchema).min(1).safeParse(input, { reportInput: true });
  if (!parsed.success) {
    throw new ConfigError(`invalid label specs: ${describeIssues(parsed.error.issues, options)}`, 'kinds are forwardReturn, direction and tripleBarrier');
  }
  return parsed.data;
}

/** The column name of a label spec. */
export function labelName(spec: LabelSpec): string {
  switch (spec.kind) {
    case 'forwardReturn':
      return `fwdret_${spec.horizon}`;
    case 'direction':
      return `${spec.classes === 'binary' ? 'dirbin' : 'dir'}_${spec.horizon}_${spec.deadZone}`;
    case 'tripleBarrier':
      return `tb_${spec.horizon}_${spec.profitTake}_${spec.stopLoss}_${spec.volWindow}`;
  }
}

function forwardReturn(close: Float64Array, h: number): Float64Array {
  const out = nanArray(close.length);
  for (let i = 0; i + h < close.length; i++) out[i] = Math.log(close[i + h] / close[i]);
  return out;
}

function direction(close: Float64Array, h: number, dz: number, binary: boolean): Float64Array {
  const r = forwardReturn(close, h);
  for (let i = 0; i < r.length; i++) {
    const x = r[i];
    if (Number.isNaN(x)) continue;
    if (x > dz) r[i] = 1;
    else if (x < -dz) r[i] = binary ? 0 : -1;
    else r[i] = binary ? NaN : 0;
  }
  return r;
}

function tripleBarrier(close: Float64Array, h: number, pt: number, sl: number, volWindow: number): Float64Array {
  const len = close.length;
  const ret = new Float64Array(len);
  ret[0] = NaN;
  for (let i = 1; i < len; i++) ret[i] = Math.log(close[i] / close[i - 1]);
  const vol = rollingStd(ret, volWindow, 1, 1);
  const out = nanArray(len);
  for (let t = volWindow; t < len; t++) {
    const upper = pt * vol[t];
    const lower = -sl * vol[t];
    const base = close[t];
    let label = NaN;
    const last = Math.min(t + h, len - 1);
    for (let j = t + 1; j <= last; j++) {
      const r = Math.log(close[j] / base);
      // with zero volatility the barriers sit at 0: only an actual move touches them
      if (r >= upper && r > 0) {
        label = 1;
        break;
      }
      if (r <= lower && r < 0) {
        label = -1;
        break;
      }
    }
    if (Number.isNaN(label) && t + h < len) label = 0;
    out[t] = label;
  }
  return out;
}

/**
 * Compute labels over a series. Throws a DataError for a series with fewer than 2 bars and a ConfigError for
 * duplicate label names.
 */
export function computeLabels(series: BarSeries, specs: readonly LabelSpec[]): LabelMatrix {
  if (series.length < 2) {
    throw new DataError(`labels need at least 2 bars of ${series.symbol} ${series.interval}, got ${series.length}`, 'collect more history');
  }
  const names = specs.map(labelName);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new ConfigError(`label "${dup}" is listed twice`, 'list every label once');
  const c = series.close;
  const columns = specs.map((s) => {
    switch (s.kind) {
      case 'forwardReturn':
        return forwardReturn(c, s.horizon);
      case 'direction':
        return direction(c, s.horizon, s.deadZone, s.classes === 'binary');
      case 'tripleBarrier':
        return tripleBarrier(c, s.horizon, s.profitTake, s.stopLoss, s.volWindow);
    }
  });
  return { names, columns, horizons: specs.map((s) => s.horizon) };
}
