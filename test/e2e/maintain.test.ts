/**
 * pulse maintain on the built CLI folds the scored predictions it trims into the performance history: the dry run
 * says what it would fold and changes nothing, the run prints the folded line and leaves one `source = maintain`
 * row per model and month, and a second run folds nothing.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { openStore } from '../../src/store/store.js';
import { HAS_BUILD, pulse } from '../helpers/cli.js';
import { useTempHome } from '../helpers/home.js';

describe.skipIf(!HAS_BUILD)('pulse maintain', () => {
  const tempHome = useTempHome();

  it('folds the trimmed predictions into monthly performance rows once', async () => {
    const home = tempHome();
    const h = ['--home', home];
    expect(pulse(['collect', 'ACME', '--source', 'synthetic', '--interval', '1d', '--from', '2019-01-01', '--to', '2024-07-01', ...h]).status).toBe(0);
    const modelId: string = pulse(['train', 'ACME', '--interval', '1d', '--model', 'ridge', '--folds', '3', ...h, '--json']).json().result.models[0].model.id;

    // Scored predictions of the model for every bar of January-June 2024 (long before maintain's 90-day cutoff).
    const store = await openStore(home);
    const bars = await store.bars.load('ACME', '1d', { from: Date.UTC(2024, 0, 1), to: Date.UTC(2024, 6, 1) });
    const rng = new Rng(41);
    await store.transaction(async (tx) => {
      for (let i = 0; i < bars.length; i++) {
        const t = bars.time[i];
        const outcome = 0.01 * rng.normal();
        const value = 0.5 * outcome + 0.01 * rng.normal();
        await tx.predictions.upsert({ modelId, symbol: 'ACME', interval: '1d', barTs: t, horizon: 1, value, intervals: null, signal: value > 0 ? 'long' : 'short', fallback: false, createdAt: t });
        await tx.predictions.setOutcome(modelId, t, outcome, t + 86_400_000);
      }
    });
    await store.close();
    const n = bars.length;
    expect(n).toBeGreaterThan(100);

    const dry = pulse(['maintain', '--dry-run', '--json', ...h]);
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.json().result.folded).toEqual({ predictions: n, periods: 6, deleted: n, kept: 0 });

    const run = pulse(['maintain', ...h]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`folded ${n} predictions into 6 monthly performance-history rows`);

    const again = pulse(['maintain', ...h]);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain('folded 0 predictions into 0 monthly performance-history rows');

    const after = await openStore(home);
    const rows = await after.performance.list({ modelId, limit: 100 });
    expect(rows.map((r) => [r.source, new Date(r.periodStart).toISOString().slice(0, 7)])).toEqual(
      ['01', '02', '03', '04', '05', '06'].map((m) => ['maintain', `2024-${m}`]),
    );
    expect(rows.reduce((s, r) => s + r.n, 0)).toBe(n);
    expect((await after.predictions.total()).predictions).toBe(0);
    await after.close();
  });
});
