/**
 * pulse health's models check on a real home with real trained models: each model loaded through the lifecycle and
 * timed on the newest bars of its series (single row and batch), the memory it holds, the warn thresholds of the
 * health settings, the models it cannot time or load, and the gauges in the Prometheus exposition.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config.js';
import { silentLogger } from '../../src/core/logger.js';
import { DEFAULT_FEATURE_SET } from '../../src/features/feature-set.js';
import { parseTarget } from '../../src/lifecycle/targets.js';
import { collect } from '../../src/market/collect.js';
import { DEFAULT_HEALTH_POLICY, type CheckResult, type HealthPolicy } from '../../src/ops/health/check.js';
import { runHealth } from '../../src/ops/health/health.js';
import { prometheusText } from '../../src/ops/health/prometheus.js';
import type { ModelRecord } from '../../src/store/records.js';
import { openStore, type Store } from '../../src/store/store.js';
import { trainJob } from '../../src/train/train-job.js';
import { useTempHome } from '../helpers/home.js';

const NOW = Date.UTC(2025, 0, 1);
const PYTHON = '/usr/bin/python3';
const HAS_PROM_PARSER = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import prometheus_client'], { encoding: 'utf8' }).status === 0;

describe('pulse health: the models check on trained models', () => {
  const tempHome = useTempHome();
  let home: string;
  let store: Store;
  let active: ModelRecord;
  let shadow: ModelRecord;

  const train = async (family: 'ridge' | 'rf', params: Record<string, number>) =>
    (await trainJob(
      {
        symbols: ['ACME'], interval: '1d', family, target: parseTarget('return', { horizon: 1 }), set: DEFAULT_FEATURE_SET, references: {},
        params, cv: 'walk-forward', folds: 3, window: { kind: 'expanding' }, embargo: 1, testSize: 0.1, pooled: false, seed: 3, activate: false, trigger: 'manual',
      },
      { store, home, now: () => NOW, log: silentLogger },
    )).models[0].model;

  beforeAll(async () => {
    // one trained home for every test here (useTempHome's homes last one test)
    home = mkdtempSync(join(tmpdir(), 'pulse-test-'));
    store = await openStore(home);
    await collect(
      { symbols: ['ACME'], sources: ['synthetic'], interval: '1d', resample: [], acceptOutliers: false, seed: 9, from: Date.UTC(2018, 0, 1), to: Date.UTC(2021, 0, 1), calendar: 'XNYS' },
      { store, settings: defaultConfig().collect, now: () => NOW, log: silentLogger },
    );
    active = (await store.models.get((await train('ridge', { alpha: 1 })).id))!;
    shadow = (await store.models.get((await train('rf', { num_iterations: 150, min_data_in_leaf: 5 })).id))!;
    return async () => {
      await store.close();
      rmSync(home, { recursive: true, force: true });
    };
  });

  /** The models check's results (no budget to speak of unless a test sets one: every model timed). */
  const models = async (policy: Partial<HealthPolicy> = {}, on: Store = store, dir = home, record = false, now = NOW): Promise<CheckResult[]> =>
    (await runHealth(on, dir, { now: () => now, only: ['models'], record, policy: { ...DEFAULT_HEALTH_POLICY, modelMeasureBudgetMs: 600_000, ...policy } })).results;

  it('times each model on the newest bars of its series and reports the memory it holds', async () => {
    expect([active.status, shadow.status]).toEqual(['active', 'shadow']);
    const results = await models();
    expect(results.map((r) => [r.subject, r.state])).toEqual([[active.id, 'ok'], [shadow.id, 'ok']]);
    for (const [r, m] of [[results[0], active], [results[1], shadow]] as const) {
      expect(Object.keys(r.metrics).sort()).toEqual(['batchMs', 'batchRows', 'fileBytes', 'memoryBytes', 'singleRowMs', 'timedAtMs']);
      expect(r.metrics.timedAtMs).toBe(NOW);
      expect(r.metrics.fileBytes).toBe(statSync(join(home, m.filePath)).size);
      expect(r.metrics.batchRows).toBe(256);
      expect(r.metrics.singleRowMs).toBeGreaterThan(0);
      expect(r.metrics.batchMs).toBeGreaterThan(0);
      expect(r.metrics.memoryBytes).toBeGreaterThanOrEqual(0);
      expect(r.metrics.memoryBytes).toBeLessThan(8 * 2 ** 20);
      expect(r.message).toMatch(new RegExp(`^${m.status} model ${m.id} \\(ACME\\|1d\\|return\\|h1\\): single row [\\d.]+ (us|ms), 256 rows [\\d.]+ (us|ms), [\\d.]+ MiB held$`));
    }
    // The forest's parsed document and trees: about the size of its file or more. (The ridge model holds a few KB,
    // within the measure's resolution of some 100 KB.)
    expect(results[1].metrics.memoryBytes).toBeGreaterThan(results[1].metrics.fileBytes / 2);
    // a smaller batch, and fewer rows than asked when the series is shorter (about 750 trading days)
    expect((await models({ modelBatchRows: 10 })).map((r) => r.metrics.batchRows)).toEqual([10, 10]);
    const all = (await models({ modelBatchRows: 5_000 })).map((r) => r.metrics.batchRows);
    expect(all[0]).toBe(await store.bars.count('ACME', '1d', 0, NOW));
  });

  it('warns above each threshold of the health settings, and keeps to the files when told not to measure', async () => {
    const slow = await models({ modelLatencyWarnMs: 0 });
    expect(slow.map((r) => r.state)).toEqual(['warn', 'warn']);
    expect(slow[0].message).toMatch(/; single-row prediction above 0 ms \(settings health\.model\*\)$/);
    const all = await models({ modelLatencyWarnMs: 0, modelBatchLatencyWarnMs: 0, modelMemoryWarnMiB: 0 });
    expect(all[1].message).toMatch(/; single-row prediction above 0 ms, batch prediction above 0 ms, memory above 0 MiB \(settings health\.model\*\)$/);
    expect((await models({ modelLatencyWarnMs: 1e6, modelBatchLatencyWarnMs: 1e6, modelMemoryWarnMiB: 1e5 })).map((r) => r.state)).toEqual(['ok', 'ok']);
    const files = await models({ modelMeasure: false });
    expect(files.map((r) => [r.state, r.message, Object.keys(r.metrics)])).toEqual([
      ['ok', `active model ${active.id} (ACME|1d|return|h1): file ok`, ['fileBytes']],
      ['ok', `shadow model ${shadow.id} (ACME|1d|return|h1): file ok`, ['fileBytes']],
    ]);
  });

  it('keeps to its timing budget: one model at least, the longest untimed first, the others with their last figures', async () => {
    const bare = tempHome();
    const other = await openStore(bare);
    mkdirSync(join(bare, 'models'));
    await other.bars.upsert('ACME', '1d', { ...(await store.bars.load('ACME', '1d')), adjClose: null }, { source: 'test', now: NOW });
    for (const m of [active, shadow]) {
      copyFileSync(join(home, m.filePath), join(bare, m.filePath));
      await other.models.insert(m);
    }
    const HOUR = 3_600_000;
    const tight = { modelMeasureBudgetMs: 0 };
    // the first run times the active model (never timed, like the shadow: active first on a tie)
    const first = await models(tight, other, bare, true, NOW);
    expect(first.map((r) => [r.subject, r.state, r.metrics.timedAtMs])).toEqual([[active.id, 'ok', NOW], [shadow.id, 'ok', undefined]]);
    expect(first[1].message).toBe(`shadow model ${shadow.id} (ACME|1d|return|h1): file ok; not timed yet: this run's timing budget (health.modelMeasureBudgetMs) was spent, a coming run times it`);
    // the next times the shadow, never timed; the active model shows its figures of the run before, judged again
    const second = await models({ ...tight, modelLatencyWarnMs: 0 }, other, bare, true, NOW + 2 * HOUR);
    expect(second.map((r) => [r.subject, r.state, r.metrics.timedAtMs])).toEqual([[active.id, 'warn', NOW], [shadow.id, 'warn', NOW + 2 * HOUR]]);
    expect(second[0].metrics).toEqual(first[0].metrics);
    expect(second[0].message).toMatch(/ \(timed 2.0 h ago; this run's timing budget was spent\); single-row prediction above 0 ms \(settings health\.model\*\)$/);
    // then the one timed longest ago again
    const third = await models(tight, other, bare, true, NOW + 3 * HOUR);
    expect(third.map((r) => r.metrics.timedAtMs)).toEqual([NOW + 3 * HOUR, NOW + 2 * HOUR]);
    await other.close();
  });

  it('loads but does not time a model whose series has no bars, and reports a model it cannot load', async () => {
    const bare = tempHome();
    const other = await openStore(bare);
    mkdirSync(join(bare, 'models'));
    copyFileSync(join(home, active.filePath), join(bare, active.filePath));
    await other.models.insert(active);
    // a file whose checksum matches but whose document the strict reader refuses
    const broken = '{"format":"pulse-registry-model","formatVersion":999}';
    writeFileSync(join(bare, 'models', 'broken.json'), broken);
    await other.models.insert({ ...shadow, id: 'broken', status: 'active', slot: 'ACME|1d|return|h2', filePath: 'models/broken.json', fileSha256: createHash('sha256').update(broken).digest('hex') });
    const results = await models({}, other, bare);
    const bareResult = results.find((r) => r.subject === active.id)!;
    expect(bareResult.state).toBe('warn');
    expect(bareResult.message).toMatch(/: loads, [\d.]+ MiB held; not timed: no 1d bars of ACME stored \(pulse collect ACME --interval 1d\)$/);
    expect(Object.keys(bareResult.metrics).sort()).toEqual(['fileBytes', 'memoryBytes']);
    const brokenResult = results.find((r) => r.subject === 'broken')!;
    expect(brokenResult.state).toBe('critical');
    expect(brokenResult.message).toMatch(/^active model broken: cannot be loaded: .+; restore a backup or retrain$/);
    await other.close();
  });

  it.skipIf(!HAS_PROM_PARSER)('exposes the figures as gauges that the prometheus_client parser reads', async () => {
    const report = await runHealth(store, home, { now: () => NOW, record: false, policy: DEFAULT_HEALTH_POLICY });
    const file = join(home, 'models.prom');
    writeFileSync(file, await prometheusText(report));
    const parse = spawnSync(PYTHON, ['-c', `
import sys, json
from prometheus_client.parser import text_string_to_metric_families
out = []
for fam in text_string_to_metric_families(open(sys.argv[1]).read()):
    for s in fam.samples:
        out.append([fam.type, s.name, s.labels, s.value])
print(json.dumps(out))
`, file], { encoding: 'utf8' });
    expect(parse.status, parse.stderr).toBe(0);
    const samples = JSON.parse(parse.stdout) as [string, string, Record<string, string>, number][];
    for (const m of [active, shadow]) {
      const r = report.results.find((x) => x.check === 'models' && x.subject === m.id)!;
      expect(samples).toContainEqual(['gauge', 'pulse_model_inference_seconds', { model: m.id, kind: 'single' }, r.metrics.singleRowMs / 1000]);
      expect(samples).toContainEqual(['gauge', 'pulse_model_inference_seconds', { model: m.id, kind: 'batch' }, r.metrics.batchMs / 1000]);
      expect(samples).toContainEqual(['gauge', 'pulse_model_memory_bytes', { model: m.id }, r.metrics.memoryBytes]);
    }
    expect(samples.filter((s) => s[1] === 'pulse_model_inference_seconds')).toHaveLength(4);
    expect(samples.filter((s) => s[1] === 'pulse_model_memory_bytes')).toHaveLength(2);
  });
});
