/**
 * Drawdowns of an equity curve. The drawdown at bar t is 1 - E_t / max(E_0..E_t), reported in percent as a
 * positive depth. A drawdown episode runs from a bar at its running peak (drawdown 0) to the next bar back at a peak,
 * or to the last bar if equity never recovers; its depth is the deepest drawdown inside it and its duration the
 * time between the two bars (backtesting.py's `compute_drawdown_duration_peaks` definition).
 */

/** Drawdown summary: depths in percent (>= 0), durations in ms. */
export interface DrawdownSummary {
  /** Per-bar drawdown in percent (>= 0). */
  drawdownPct: Float64Array;
  maxDrawdownPct: number;
  /** Longest episode in ms (0 when equity never fell below its peak). */
  maxDurationMs: number;
  /** Number of episodes. */
  episodes: number;
  /** Mean episode depth in percent (null without episodes). */
  avgDrawdownPct: number | null;
  /** Mean episode duration in ms (null without episodes). */
  avgDurationMs: number | null;
}

/** Per-bar drawdown in percent: (1 - E_t / running peak) x 100. */
export function drawdownSeries(equity: Float64Array): Float64Array {
  const n = equity.length;
  const out = new Float64Array(n);
  let peak = -Infinity;
  for (let t = 0; t < n; t++) {
    const e = equity[t];
    if (e > peak) peak = e;
    out[t] = peak > 0 ? (1 - e / peak) * 100 : 0;
  }
  return out;
}

/** Maximum drawdown in percent (positive depth; 0 for a curve that never falls). */
export function maxDrawdown(equity: Float64Array): number {
  const dd = drawdownSeries(equity);
  let m = 0;
  for (let t = 0; t < dd.length; t++) if (dd[t] > m) m = dd[t];
  return m;
}

/** Depth and duration of every drawdown episode (see the module note), with `time` in ms. */
export function summariseDrawdowns(equity: Float64Array, time: Float64Array): DrawdownSummary {
  const dd = drawdownSeries(equity);
  const n = dd.length;
  let maxDd = 0;
  let maxDur = 0;
  let episodes = 0;
  let depthSum = 0;
  let durSum = 0;
  let prevZero = -1;
  let depth = 0;
  for (let t = 0; t < n; t++) {
    const d = dd[t];
    if (d > maxDd) maxDd = d;
    if (d > depth) depth = d;
    const boundary = d === 0 || t === n - 1;
    if (!boundary) continue;
    // An episode needs at least one bar below the peak between two boundaries.
    if (prevZero >= 0 && t > prevZero + 1) {
      const dur = time[t] - time[prevZero];
      episodes++;
      depthSum += depth;
      durSum += dur;
      if (dur > maxDur) maxDur = dur;
    }
    if (d === 0) {
      prevZero = t;
      depth = 0;
    }
  }
  return {
    drawdownPct: dd,
    maxDrawdownPct: maxDd,
    maxDurationMs: maxDur,
    episodes,
    avgDrawdownPct: episodes > 0 ? depthSum / episodes : null,
    avgDurationMs: episodes > 0 ? durSum / episodes : null,
  };
}
