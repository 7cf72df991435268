/** `pulse demo`: the pipeline end to end on synthetic data. */
import { parseOptions } from '../src/core/option-schema.js';
import { DEMO_OPTIONS } from '../src/pipeline/demo-options.js';
import { runDemo, type DemoResult } from '../src/pipeline/demo.js';
import type { Context } from './context.js';
import { emit, formatCount, formatTime, table } from './ui/output.js';

export async function demo(ctx: Context, raw: Record<string, unknown>): Promise<void> {
  const result = await runDemo({
    home: ctx.homeGiven ? ctx.home : undefined,
    seed: parseOptions(DEMO_OPTIONS, raw).seed,
    config: ctx.config(),
    now: ctx.now,
    log: ctx.log,
    signal: ctx.signal,
  });
  emit(ctx, result, render);
}

function render(r: DemoResult): string {
  const lines = [`pulse demo (seed ${r.seed}) in ${r.home}`, ''];
  for (const c of r.collects) {
    const t = c.totals;
    lines.push(
      `collect ${c.symbols.map((s) => s.symbol).join(', ')} ${c.interval}: ${formatCount(t.fetched)} bars fetched, ${formatCount(t.inserted)} stored, ${formatCount(t.quarantined)} quarantined, ${formatCount(t.gaps)} gaps`,
    );
  }
  lines.push(
    '',
    table(
      ['symbol', 'interval', 'rows', 'first', 'last', 'gaps', 'derived from'],
      r.series.map((s) => [s.symbol, s.interval, formatCount(s.rows), formatTime(s.first), formatTime(s.last), s.gaps, s.derivedFrom]),
      ['l', 'l', 'r', 'l', 'l', 'r', 'l'],
    ),
    '',
    `features: ${r.features.features} features of set "${r.features.set}" over ${formatCount(r.features.rows)} ${r.features.interval} bars of ${r.features.symbol} (lookback ${r.features.lookback}); look-ahead check passed`,
    `  newest bar: ${r.features.latest.map((f) => `${f.name} ${f.value === null ? 'NaN' : Number(f.value.toPrecision(4))}`).join(', ')}`,
    '',
    ...renderModelStep(r),
    '',
    ...renderLoop(r),
    '',
    `explore it: pulse data ls --home ${r.home}`,
    `            pulse features ACME --interval 1d --home ${r.home}`,
    `            pulse backtest ls --home ${r.home}`,
  );
  return lines.join('\n');
}

function renderModelStep(r: DemoResult): string[] {
  const m = r.model;
  const b = m.backtest;
  const n = (v: number | null, d = 2) => (v === null ? 'n/a' : v.toFixed(d));
  return [
    `train: ${m.modelId} (${m.family}, ${m.target} h=${m.horizon}) on ${formatCount(m.trainRows)} rows, active; test RMSE ${n(m.testRmse, 5)} vs naive ${n(m.naiveTestRmse, 5)}`,
    m.prediction ? `predict: bar ${formatTime(m.prediction.barTs)} forecast ${m.prediction.value.toPrecision(3)} -> ${m.prediction.signal}` : 'predict: no prediction',
    `backtest #${b.recordId}: ${b.source}, retrained every ${b.retrainEvery} bars (${b.retrainings} retrainings, out of sample only), ${formatTime(b.fromMs)} .. ${formatTime(b.toMs)}`,
    `  return ${n(b.returnPct)} % vs buy-and-hold ${n(b.buyAndHoldReturnPct)} %, Sharpe ${n(b.sharpe)}, max drawdown ${n(b.maxDrawdownPct)} %, ${b.trades} trades, random-entry p-value ${n(b.pValue, 3)}`,
    `  report: ${b.reportPath}`,
  ];
}

function renderLoop(r: DemoResult): string[] {
  const l = r.loop;
  const p = (v: number | null) => (v === null ? 'n/a' : v.toPrecision(3));
  const pct = (v: number | null) => (v === null ? 'n/a' : `${(v * 100).toFixed(2)} %`);
  const last = l.decisions[l.decisions.length - 1];
  return [
    `loop: pulse cycle simulated ${formatTime(l.from)} .. ${formatTime(l.to)} bar by bar (${l.cycles} cycles, ${(l.ms / 1000).toFixed(1)} s): drift found ${l.driftEvents} times, ${l.retrainings} retrainings, ${l.promotions} promotions, ${l.refusals} refusals`,
    ...(last ? [`  last gate decision: ${last.decision} ${last.model} (Diebold-Mariano p = ${p(last.pValue)}) at ${formatTime(last.at)}`] : []),
    `  served signals: loop return ${pct(l.performance.loop.signalReturn)} (hit rate ${pct(l.performance.loop.hitRate)}) vs never retrained ${pct(l.performance.static.signalReturn)} (hit rate ${pct(l.performance.static.hitRate)})`,
  ];
}
