/** pulse health: each check's states, the overall status, Nagios output and the Prometheus textfile (gh-14). */
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HEALTH_POLICY, type HealthPolicy } from '../../src/ops/health/check.js';
import { healthHistory, runHealth } from '../../src/ops/health/health.js';
import { nagiosExitCode, nagiosLine } from '../../src/ops/health/nagios.js';
import { prometheusText, writePrometheusFile } from '../../src/ops/health/prometheus.js';
import { openStore, type Store } from '../../src/store/store.js';
import { useTempHome } from '../helpers/home.js';
import { columnsOf, hourlyBars } from '../store/contract.js';

const tempHome = useTempHome();
const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
/** Just after the 100th hourly bar closed: the series is fresh. */
const NOW = T0 + 100 * HOUR + 60_000;
const PYTHON = '/usr/bin/python3';
const HAS_PROM_PARSER = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import prometheus_client'], { encoding: 'utf8' }).status === 0;

/** A healthy home: 100 fresh crypto bars, one active model with its file, a recent backup, a good source. */
async function healthyHome(): Promise<{ home: string; store: Store }> {
  const home = tempHome();
  const store = await openStore(home);
  await store.instruments.upsert('AAA', { calendar: 'crypto' }, 1);
  await store.bars.upsert('AAA', '1h', columnsOf(hourlyBars(100)), { source: 'test', now: 1 });
  mkdirSync(join(home, 'models'));
  writeFileSync(join(home, 'models', 'm1.json'), 'model');
  await store.models.insert({
    id: 'm1', family: 'ridge', mode: 'ridge', symbols: ['AAA'], slot: 'AAA|1h|return|h1', version: 1, interval: '1h', target: 'return', horizon: 1,
    params: {}, seed: 7, featureSet: 'default', featureSetHash: 'h', featureNames: ['f'], trainFrom: 1, trainTo: 2, dataHash: 'd', metrics: {},
    status: 'active', statusChangedAt: 1, parentId: null, jobId: null, study: null, createdAt: 1, trainDurationMs: 1, engineVersion: 'e',
    filePath: 'models/m1.json', fileSize: 5, fileSha256: '9372c470eeadd5ecd9c3c74c2b3cb633f8e2f2fad799250a0f70d652b6b825e4',
  });
  await store.backups.insert({ path: '/b/x.tar.gz', createdAt: NOW - HOUR, size: 1, sha256: 's', encrypted: false, schemaVersion: 6, pulseVersion: 'v', files: 1, models: 1 });
  await store.sources.put({ source: 'yahoo', consecutiveFailures: 0, totalFailures: 0, totalSuccesses: 3, lastError: null, lastFailureAt: null, lastSuccessAt: NOW - HOUR, openUntil: null, updatedAt: NOW - HOUR });
  return { home, store };
}

/** The homes here hold a stand-in model file: the models check keeps to its file (health-models.test.ts loads and times real ones). */
const FILES_ONLY: HealthPolicy = { ...DEFAULT_HEALTH_POLICY, modelMeasure: false };
const run = (store: Store, home: string, policy: HealthPolicy = FILES_ONLY) => runHealth(store, home, { now: () => NOW, policy });

describe('pulse health checks', () => {
  it('is ok on a healthy home, records the run, and prints a Nagios OK line with perfdata', async () => {
    const { home, store } = await healthyHome();
    const report = await run(store, home);
    expect(report.results.filter((r) => r.state !== 'ok')).toEqual([]);
    expect(report.status).toBe('ok');
    expect(report.results.map((r) => r.check)).toEqual(['store', 'disk', 'models', 'freshness', 'sources', 'sources', 'jobs', 'backups']);
    const line = nagiosLine(report, DEFAULT_HEALTH_POLICY);
    expect(line).toMatch(/^PULSE OK - 8 checks ok \| 'store_wal'=\d+B;268435456;;0 'disk_free'=[\d.]+%;10;5;0;100 'backup_age'=3600s;93600;604800;0 'critical'=0;;;0 'warnings'=0;;;0 'duration'=[\d.]+s;;;0$/);
    expect(nagiosExitCode(report.status)).toBe(0);
    expect((await healthHistory(store, 5)).map((h) => h.status)).toEqual(['ok']);
    await store.close();
  });

  it('finds each failing condition with its state', async () => {
    const { home, store } = await healthyHome();
    // models: the active model's file does not match its checksum -> critical; a shadow's file is missing -> warn.
    writeFileSync(join(home, 'models', 'm1.json'), 'edited');
    await store.models.insert({ ...(await store.models.get('m1'))!, id: 'm2', status: 'shadow', filePath: 'models/m2.json', slot: 'AAA|1h|return|h2' });
    // freshness: 30 bars late -> critical.
    const late = NOW + 30 * HOUR;
    // sources: breaker open -> warn. jobs: one stuck -> critical, one failed -> warn. backups: 8 days old -> critical.
    await store.sources.put({ source: 'binance', consecutiveFailures: 3, totalFailures: 3, totalSuccesses: 0, lastError: 'HTTP 503', lastFailureAt: late, lastSuccessAt: null, openUntil: late + HOUR, updatedAt: late });
    const stuck = await store.jobs.create({ type: 'train', trigger: 'manual', params: {}, inlinePid: 1, now: late - 10 * HOUR });
    const failed = await store.jobs.create({ type: 'train', trigger: 'manual', params: {}, inlinePid: 1, now: late - HOUR });
    await store.jobs.finish(failed, { status: 'failed', succeeded: 0, failed: 1, error: 'out of memory', now: late - HOUR });
    const report = await runHealth(store, home, { now: () => late + 8 * 24 * HOUR - 30 * HOUR, policy: { ...DEFAULT_HEALTH_POLICY, diskWarnPct: 101, diskCriticalPct: 100.5, walWarnBytes: 0, staleCriticalBars: 24 } });
    const states = report.results.map((r) => [r.check, r.subject, r.state]);
    expect(states).toEqual(expect.arrayContaining([
      ['store', null, 'warn'],
      ['disk', null, 'critical'],
      ['models', 'm1', 'critical'],
      ['models', 'm2', 'warn'],
      ['freshness', 'AAA 1h', 'critical'],
      ['sources', 'binance', 'warn'],
      ['jobs', `job ${stuck}`, 'critical'],
      ['backups', null, 'critical'],
    ]));
    expect(report.status).toBe('critical');
    expect(report.results.find((r) => r.subject === 'm2')!.message).toBe('shadow model m2: its file models/m2.json is missing; restore a backup or retrain');
    expect(nagiosLine(report, DEFAULT_HEALTH_POLICY)).toMatch(/^PULSE CRITICAL - /);
    expect(nagiosExitCode(report.status)).toBe(2);
    await store.close();
  });

  it('warns without a backup or bars, and reports a check that throws as unknown while the others run', async () => {
    const home = tempHome();
    const store = await openStore(home);
    const report = await run(store, home);
    expect(report.results.find((r) => r.check === 'backups')).toMatchObject({ state: 'warn', message: 'no backup yet; take one with pulse backup create' });
    expect(report.results.find((r) => r.check === 'freshness')).toMatchObject({ state: 'warn' });
    const failingList = async (): Promise<never> => { throw new Error('boom'); };
    // A repository's methods may live on a proxy (loaded on first use): wrap it rather than spread it.
    const models = new Proxy(store.models, { get: (target, key) => (key === 'list' ? failingList : Reflect.get(target, key)) });
    const broken = { ...store, models } as Store;
    const r2 = await runHealth(broken, home, { now: () => NOW, record: false });
    expect(r2.results.find((r) => r.check === 'models')).toMatchObject({ state: 'unknown', message: 'the check failed: boom' });
    expect(r2.results.length).toBeGreaterThan(3);
    expect(nagiosExitCode(r2.status)).toBe(3);
    await store.close();
  });
});

describe('pulse health on a damaged store', () => {
  it('finds the damage with the quick check (run in a worker on its own connection) and is critical while the other checks still run', async () => {
    const home = tempHome();
    let store = await openStore(home);
    await store.bars.upsert('AAA', '1h', columnsOf(hourlyBars(5000)), { source: 'test', now: 1 });
    const file = store.location;
    const pages = await (async () => {
      // the bars table's leaf pages: damage one in the middle, far from the schema and migration pages
      const db = new Database(file, { readonly: true });
      try {
        return db.prepare("SELECT pageno FROM dbstat WHERE name = 'bars' AND pagetype = 'leaf' ORDER BY pageno").pluck().all() as number[];
      } finally {
        db.close();
      }
    })();
    await store.close();
    const pageSize = 4096;
    const victim = pages[pages.length >> 1];
    const fd = openSync(file, 'r+');
    // a leaf page's header: its cell count and cell pointers now point outside the page
    writeSync(fd, Buffer.alloc(64, 0xff), 0, 64, (victim - 1) * pageSize + 3);
    closeSync(fd);

    store = await openStore(home);
    const report = await run(store, home);
    const check = report.results.find((r) => r.check === 'store')!;
    expect(check.state).toBe('critical');
    expect(check.message).toMatch(/^the store is damaged: .+; restore a backup$/);
    expect(check.metrics.integrityProblems).toBeGreaterThan(0);
    expect(report.status).toBe('critical');
    expect(report.results.find((r) => r.check === 'disk')!.state).toBe('ok');
    await store.close();
  });
});

describe.skipIf(!HAS_PROM_PARSER)('pulse health in Prometheus textfile format', () => {
  it('parses with the prometheus_client parser and carries every result', async () => {
    const { home, store } = await healthyHome();
    const report = await run(store, home);
    await store.close();
    const file = join(home, 'pulse.prom');
    await writePrometheusFile(report, file);
    expect(readFileSync(file, 'utf8')).toBe(await prometheusText(report));
    const parse = spawnSync(PYTHON, ['-c', `
import sys, json
from prometheus_client.parser import text_string_to_metric_families
out = []
for fam in text_string_to_metric_families(open(sys.argv[1]).read()):
    for s in fam.samples:
        out.append([s.name, s.labels, s.value])
print(json.dumps(out))
`, file], { encoding: 'utf8' });
    expect(parse.status, parse.stderr).toBe(0);
    const samples = JSON.parse(parse.stdout) as [string, Record<string, string>, number][];
    expect(samples).toContainEqual(['pulse_health_status', {}, 0]);
    expect(samples).toContainEqual(['pulse_health_check_state', { check: 'models', subject: 'm1' }, 0]);
    expect(samples).toContainEqual(['pulse_health_check_value', { check: 'models', subject: 'm1', name: 'fileBytes' }, 5]);
    expect(samples).toContainEqual(['pulse_health_check_value', { check: 'backups', subject: '', name: 'backupAgeHours' }, 1]);
    expect(samples.filter((s) => s[0] === 'pulse_health_check_state')).toHaveLength(report.results.length);
    rmSync(file);
  });
});
