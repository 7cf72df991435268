/**
 * pulse status, pulse maintain and pulse serve on the built CLI, on a real home: the status document, retention's
 * dry run and run, and the HTTP endpoints (Prometheus exposition read by prometheus_client's own parser, the bearer
 * token, 404/405, and a clean exit 0 on SIGTERM).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HAS_BUILD, pulse, pulseAsync } from '../helpers/cli.js';
import { useTempHome } from '../helpers/home.js';
import { querySqlite } from '../helpers/sqlite.js';

const PYTHON = '/usr/bin/python3';
const HAS_PROM_PARSER = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import prometheus_client.parser'], { encoding: 'utf8' }).status === 0;

/** Start `pulse serve --port 0` and wait for the address it prints. */
async function startServe(args: string[], env: Record<string, string | undefined> = {}) {
  const run = pulseAsync(['serve', '--port', '0', ...args], { env });
  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`pulse serve did not start:\n${seen}`)), 20_000);
    run.child.stderr!.on('data', (d: Buffer) => {
      seen += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(seen);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    run.child.on('exit', () => reject(new Error(`pulse serve exited:\n${seen}`)));
  });
  return { ...run, url };
}

/** The metric families of an exposition, as prometheus_client's parser reads them: {name: [[labels, value], ...]}. */
function parseExposition(text: string): Record<string, { type: string; samples: [Record<string, string>, number][] }> {
  const script = `
import json, sys
from prometheus_client.parser import text_string_to_metric_families
out = {}
for f in text_string_to_metric_families(sys.stdin.read()):
    out[f.name] = {"type": f.type, "samples": [[s.labels, s.value] for s in f.samples]}
print(json.dumps(out))`;
  const r = spawnSync(PYTHON, ['-c', script], { input: text, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`the exposition does not parse: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe.skipIf(!HAS_BUILD)('pulse status, maintain and serve', () => {
  const tempHome = useTempHome();

  /** A home with a year of bars and one active model. */
  function trainedHome(): string[] {
    const h = ['--home', tempHome()];
    expect(pulse(['collect', 'ACME', '--source', 'synthetic', '--interval', '1d', '--from', '2023-01-01', '--to', '2024-06-01', ...h]).status).toBe(0);
    const trained = pulse(['train', 'ACME', '--interval', '1d', '--model', 'ridge', '--folds', '3', ...h]);
    expect(trained.status, trained.stderr).toBe(0);
    return h;
  }

  it('shows the status, and maintains the home (dry run first; quiet for cron)', () => {
    const h = trainedHome();
    const status = pulse(['status', ...h, '--json']);
    expect(status.status, status.stderr).toBe(0);
    const doc = status.json().result;
    expect(doc).toMatchObject({ enabled: true, lastCycle: null, lastPerformanceCheck: null, abTests: [], shadows: {}, jobs: { pending: 0, running: 0, failed: 0 } });
    expect(Object.keys(doc.active)).toEqual(['ACME|1d|return|h1']);
    expect(doc.lastRetraining).toMatchObject({ trigger: 'manual', status: 'completed' });
    const human = pulse(['status', ...h]);
    expect(human.stdout).toMatch(/^last retraining +job 1 manual completed/m);
    expect(human.stdout).toMatch(/^ACME\|1d\|return\|h1 +ridge-ACME-1d-v1 +-$/m);

    const dry = pulse(['maintain', '--dry-run', ...h, '--json']);
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.json().result).toMatchObject({ dryRun: true, deleted: { predictionsWithOutcome: 0, collectRuns: 0, jobs: 0, healthRuns: 0 }, archived: [], checkpointed: null });
    // Everything is recent: with a retention of one day nothing goes; the housekeeping still runs and checkpoints.
    const done = pulse(['maintain', ...h, '--json'], { env: { PULSE__MAINTAIN__JOB_DAYS: '1' } });
    expect(done.status, done.stderr).toBe(0);
    expect(done.json().result).toMatchObject({ dryRun: false, deleted: { jobs: 0 }, checkpointed: true });
    expect(done.json().result.storeBytes.after).toBeGreaterThan(0);
    const quiet = pulse(['maintain', '-q', ...h]);
    expect([quiet.status, quiet.stdout, quiet.stderr]).toEqual([0, '', '']);
    const bad = pulse(['maintain', ...h], { env: { PULSE__MAINTAIN__PREDICTION_DAYS: '-1' } });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^pulse: error: invalid configuration: maintain\.predictionDays must be at least 1/m);
    expect(querySqlite(h[1], 'SELECT id FROM active_models_summary')).toEqual([{ id: 'ridge-ACME-1d-v1' }]);
  });

  it('serves /metrics, /health, /status and /models read-only, and exits 0 on SIGTERM', async () => {
    const h = trainedHome();
    const server = await startServe(h);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const metrics = await fetch(`${server.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await metrics.text();
    expect(text).toMatch(/^pulse_series_bars\{symbol="ACME",interval="1d"\} \d+$/m);
    expect(text).toMatch(/^pulse_models\{status="active"\} 1$/m);

    const health = await fetch(`${server.url}/health`);
    const report = (await health.json()) as { status: string; results: { check: string }[] };
    expect(health.status).toBe(report.status === 'critical' ? 503 : 200);
    expect(report.results.map((r) => r.check)).not.toContain('store');
    expect(report.results.map((r) => r.check)).toContain('models');
    const status = await (await fetch(`${server.url}/status`)).json();
    expect(status).toEqual(pulse(['status', ...h, '--json']).json().result);
    const models = (await (await fetch(`${server.url}/models`)).json()) as { models: { id: string; slot: string; status: string; metrics: unknown }[] };
    expect(models.models.map((m) => [m.id, m.slot, m.status])).toEqual([['ridge-ACME-1d-v1', 'ACME|1d|return|h1', 'active']]);
    expect(models.models[0].metrics).toMatchObject({ task: 'regression' });
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    const post = await fetch(`${server.url}/metrics`, { method: 'POST', body: 'x' });
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD']);

    server.child.kill('SIGTERM');
    const end = await server.done;
    expect(end.status, end.stderr).toBe(0);
    expect(end.stderr).toContain('pulse serve: stopped');
    // The store was closed cleanly: a command can use the home at once.
    expect(pulse(['status', ...h]).status).toBe(0);
  });

  it.skipIf(!HAS_PROM_PARSER)('exposes metrics that prometheus_client\'s parser reads, with the figures of the store', async () => {
    const h = trainedHome();
    expect(pulse(['health', '-q', ...h]).status).not.toBe(1);
    pulse(['backup', 'create', '-q', ...h]);
    const server = await startServe(h);
    const families = parseExposition(await (await fetch(`${server.url}/metrics`)).text());
    server.child.kill('SIGTERM');
    expect((await server.done).status).toBe(0);
    const value = (name: string, labels: Record<string, string> = {}) => families[name]?.samples.find(([l]) => Object.entries(labels).every(([k, v]) => l[k] === v))?.[1];
    const series = querySqlite<{ n: number }>(h[1], "SELECT count(*) AS n FROM bars WHERE symbol = 'ACME'")[0].n;
    expect(value('pulse_series_bars', { symbol: 'ACME', interval: '1d' })).toBe(series);
    expect(value('pulse_models', { status: 'active' })).toBe(1);
    expect(value('pulse_models', { status: 'shadow' })).toBe(0);
    expect(value('pulse_jobs', { status: 'completed' })).toBe(1);
    expect(value('pulse_predictions')).toBe(0);
    expect(value('pulse_source_last_collect_ok', { source: 'synthetic' })).toBe(1);
    expect(value('pulse_backup_age_seconds')).toBeGreaterThanOrEqual(0);
    expect(value('pulse_backup_age_seconds')).toBeLessThan(600);
    expect(families.pulse_health_check_state.samples.map(([l]) => l.check)).toContain('store');
    expect(families.pulse_health_status.type).toBe('gauge');
  });

  it('requires the bearer token of PULSE_SERVE_TOKEN on every endpoint, and never prints it', async () => {
    const h = ['--home', tempHome()];
    expect(pulse(['collect', 'ACME', '--source', 'synthetic', '--interval', '1d', '--from', '2024-01-01', '--to', '2024-03-01', ...h]).status).toBe(0);
    const token = 'tok-7f3a9c1e5b';
    const server = await startServe(h, { PULSE_SERVE_TOKEN: token });
    for (const path of ['/metrics', '/health', '/status', '/models', '/nope']) {
      const anonymous = await fetch(`${server.url}${path}`);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="pulse"');
      expect(await anonymous.text()).not.toContain(token);
      expect((await fetch(`${server.url}${path}`, { headers: { Authorization: `Bearer ${token}x` } })).status).toBe(401);
      expect((await fetch(`${server.url}${path}`, { headers: { Authorization: token } })).status).toBe(401);
    }
    expect((await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await fetch(`${server.url}/nope`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(404);
    server.child.kill('SIGINT');
    const end = await server.done;
    expect(end.status).toBe(0);
    expect(end.stdout + end.stderr).not.toContain(token);
  });
});
