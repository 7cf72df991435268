/**
 * npm run bench:serve — `pulse serve` under load, on a home with 20 hourly series (5,000 bars each), 60 models,
 * 60,000 predictions, drift checks, a stored health run and a backup record:
 *   1. the median time of one /metrics scrape, sequential requests (goal <= 50 ms), against the anchor measured in the
 *      same run: the median of a request the server answers without reading the store (404);
 *   2. 200 concurrent /metrics requests, in bursts, while another process (`pulse collect` of synthetic one-minute
 *      bars) writes to the store: every request must answer 200, and the writer must not be held up (its time
 *      against the same collect run alone); latency percentiles p50 / p95 / p99 of the concurrent requests.
 *
 * The server and the writer are the built CLI (dist/bin/pulse.js) in their own processes. Options: --scrapes N
 * (sequential scrapes, default 60), --concurrency N (default 200).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSeries } from '../src/market/sources/synthetic.js';
import { openStore } from '../src/store/store.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const SCRAPES = option('--scrapes', 60);
const CONCURRENCY = option('--concurrency', 200);
const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'pulse.js');
const HOUR = 3_600_000;
const dir = mkdtempSync(join(tmpdir(), 'pulse-bench-serve-'));

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const pct = (xs: number[], p: number) => sorted(xs)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const median = (xs: number[]) => pct(xs, 50);

/** Run the CLI to its end; its wall time in ms. */
function cli(argv: string[]): Promise<{ code: number | null; ms: number; stderr: string }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [CLI, ...argv], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, ms: performance.now() - t0, stderr })));
}

async function seed(home: string): Promise<void> {
  const store = await openStore(home);
  const now = Date.now();
  const start = now - 5_000 * HOUR;
  for (let s = 0; s < 20; s++) {
    const symbol = `S${s}`;
    const series = generateSeries({ symbol, interval: '1h', bars: 5_000, seed: s + 1, start: start - (start % HOUR) });
    await store.instruments.upsert(symbol, { calendar: 'crypto' }, now);
    await store.bars.upsert(symbol, '1h', { ...series, adjClose: null }, { source: 'bench', now });
    for (let v = 1; v <= 3; v++) {
      const id = `ridge-${symbol}-1h-v${v}`;
      await store.models.insert({
        id, family: 'ridge', mode: 'ridge', symbols: [symbol], slot: `${symbol}|1h|return|h1`, version: v, interval: '1h', target: 'return', horizon: 1, params: {},
        seed: 1, featureSet: 'default', featureSetHash: 'h', featureNames: ['f'], trainFrom: 0, trainTo: 1, dataHash: 'd', metrics: { task: 'regression', test: { rmse: 0.01 } },
        status: v === 1 ? 'retired' : v === 2 ? 'active' : 'shadow', statusChangedAt: now, parentId: null, jobId: null, createdAt: now, trainDurationMs: 1,
        engineVersion: 'bench', filePath: `models/${id}.json`, fileSize: 1, fileSha256: 's', study: null,
      });
    }
    await store.transaction(async (tx) => {
      for (let i = 0; i < 3_000; i++) {
        const modelId = `ridge-${symbol}-1h-v${2 + (i % 2)}`;
        await tx.predictions.upsert({ modelId, symbol, interval: '1h', barTs: start + i * HOUR, horizon: 1, value: 0, intervals: null, signal: 'flat', fallback: false, createdAt: now });
        if (i < 2_500) await tx.predictions.setOutcome(modelId, start + i * HOUR, 0.001, now);
      }
    });
    const row = { checkId: `c${s}`, symbol, interval: '1h', modelId: null, type: 'dataset' as const, feature: null, test: null, score: 0.1, pValue: null, threshold: 0.5, drifted: false, severity: 'none', detectedAt: now, triggerRetraining: false };
    await store.drift.insert([row, ...Array.from({ length: 30 }, (_, f) => ({ ...row, type: 'feature' as const, feature: `f${f}`, test: 'ks', pValue: 0.5 }))]);
  }
  await store.health.insert({ createdAt: now, status: 'ok', critical: 0, warnings: 0, unknown: 0, durationMs: 5, results: [{ check: 'store', subject: null, state: 'ok', message: 'ok', metrics: { walBytes: 0 } }] });
  await store.backups.insert({ path: '/b/x.tar.gz', createdAt: now - HOUR, size: 1, sha256: 's', encrypted: false, schemaVersion: 1, pulseVersion: 'bench', files: 1, models: 1 });
  await store.close();
}

/** Start `pulse serve --port 0` and wait for its address. */
async function startServer(home: string) {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--home', home], { stdio: ['ignore', 'ignore', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    child.stderr.on('data', (d) => {
      seen += d;
      const m = /listening on (http:\/\/\S+)/.exec(seen);
      if (m) resolve(m[1]);
    });
    child.on('exit', () => reject(new Error(`pulse serve exited: ${seen}`)));
  });
  const stopped = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { url, stop: () => (child.kill('SIGTERM'), stopped) };
}

async function timed(url: string): Promise<{ ms: number; status: number }> {
  const t0 = performance.now();
  const r = await fetch(url);
  await r.arrayBuffer();
  return { ms: performance.now() - t0, status: r.status };
}

try {
  const home = join(dir, 'home');
  await seed(home);
  const server = await startServer(home);
  for (let i = 0; i < 5; i++) await timed(`${server.url}/metrics`); // warm-up

  // 1. Sequential scrapes against the 404 anchor, interleaved so noise hits both alike.
  const scrapeMs: number[] = [];
  const anchorMs: number[] = [];
  for (let i = 0; i < SCRAPES; i++) {
    scrapeMs.push((await timed(`${server.url}/metrics`)).ms);
    anchorMs.push((await timed(`${server.url}/nope`)).ms);
  }
  const metricsBytes = (await (await fetch(`${server.url}/metrics`)).text()).length;

  // 2. The writer alone, then the writer under bursts of concurrent scrapes.
  const collect = (symbol: string) => ['collect', symbol, '--source', 'synthetic', '--interval', '1m', '--from', '2025-03-01', '--to', '2025-06-01', '--home', home, '-q'];
  const alone = await cli(collect('WRITER-A'));
  if (alone.code !== 0) throw new Error(`the writer failed: ${alone.stderr}`);
  const writer = cli(collect('WRITER-B'));
  let writing = true;
  void writer.then(() => (writing = false));
  const latencies: number[] = [];
  let errors = 0;
  let bursts = 0;
  while (writing || bursts === 0) {
    const results = await Promise.all(Array.from({ length: CONCURRENCY }, () => timed(`${server.url}/metrics`).catch(() => ({ ms: NaN, status: 0 }))));
    for (const r of results) {
      if (r.status !== 200) errors++;
      else latencies.push(r.ms);
    }
    bursts++;
  }
  const loaded = await writer;
  const stopCode = await server.stop();

  const report = {
    series: 20, bars: 100_000, models: 60, predictions: 60_000, metricsBytes,
    scrapeMedianMs: +median(scrapeMs).toFixed(2), anchorMedianMs: +median(anchorMs).toFixed(2), ratio: +(median(scrapeMs) / median(anchorMs)).toFixed(1),
    concurrent: { requests: latencies.length + errors, bursts, errors, p50Ms: +pct(latencies, 50).toFixed(1), p95Ms: +pct(latencies, 95).toFixed(1), p99Ms: +pct(latencies, 99).toFixed(1) },
    writer: { aloneMs: Math.round(alone.ms), underLoadMs: Math.round(loaded.ms), exit: loaded.code, ratio: +(loaded.ms / alone.ms).toFixed(2) },
    serverExit: stopCode,
  };
  console.log(JSON.stringify(report));
  console.log(`/metrics (${(metricsBytes / 1024).toFixed(0)} KiB): median scrape ${report.scrapeMedianMs} ms (goal <= 50 ms), ${report.ratio}x the ${report.anchorMedianMs} ms of a request without store work`);
  console.log(`${report.concurrent.requests} requests in bursts of ${CONCURRENCY} while a collect wrote: ${errors} errors; p50 ${report.concurrent.p50Ms} ms, p95 ${report.concurrent.p95Ms} ms, p99 ${report.concurrent.p99Ms} ms`);
  console.log(`the writer: ${report.writer.aloneMs} ms alone, ${report.writer.underLoadMs} ms under load (${report.writer.ratio}x; exit ${loaded.code}); server exit ${stopCode} on SIGTERM`);
  if (errors > 0 || loaded.code !== 0 || stopCode !== 0) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
