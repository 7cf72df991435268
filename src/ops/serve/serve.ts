/**
 * `pulse serve`: a small read-only HTTP server for monitoring a home.
 *
 * - `GET /metrics`: Prometheus exposition (metrics.ts), read from the store for every scrape; scrapes that arrive
 *   while one is being read share its result (one read of the store serves a burst of concurrent scrapes).
 * - `GET /health`: the health checks run live on each request, without recording a run, except the `store` check
 *   (its integrity check reads the whole file: too heavy for a probe polled every few seconds; `pulse health` from
 *   cron covers it, and /metrics shows its last stored result), and the models check keeps to the files and their
 *   sha256 (loading and timing every model is `pulse health`'s work; /metrics shows its last figures). 200 when no
 *   check is critical, 503 otherwise.
 * - `GET /status`: the status document (`pulse status --json`), given by the caller.
 * - `GET /models`: the registered models: id, slot, status, family, version, times and metrics.
 *
 * The server only reads; it takes no lock, so collects, trainings and maintenance go on while it runs.
 */
import { DEFAULT_HEALTH_POLICY, type HealthPolicy } from '../health/check.js';
import { HEALTH_CHECKS } from '../health/checks.js';
import { runHealth } from '../health/health.js';
import { listModels } from '../../registry/registry.js';
import type { Store } from '../../store/store.js';
import { METRICS_CONTENT_TYPE, metricsText } from './metrics.js';
import { startServer, type Route, type RouteResponse, type RunningServer } from './server.js';

/** Checks /health runs live (all but the integrity check, see the module note). */
export const LIVE_HEALTH_CHECKS: readonly string[] = HEALTH_CHECKS.map((c) => c.name).filter((name) => name !== 'store');

export interface ServeOptions {
  host: string;
  port: number;
  token?: string;
  now: () => number;
  /** The status document (owned by src/pipeline/status.ts; the command hands it in). */
  status: () => Promise<unknown>;
  policy?: HealthPolicy;
  onError?: (path: string, message: string) => void;
}

const json = (status: number, doc: unknown): RouteResponse => ({ status, contentType: 'application/json; charset=utf-8', body: `${JSON.stringify(doc, null, 2)}\n` });

/** The endpoints of a home's server. */
export function serveRoutes(store: Store, options: Pick<ServeOptions, 'now' | 'status' | 'policy'>): Record<string, Route> {
  let reading: Promise<string> | null = null;
  const metrics = () =>
    (reading ??= metricsText(store, options.now()).finally(() => {
      reading = null;
    }));
  return {
    '/metrics': async () => ({ status: 200, contentType: METRICS_CONTENT_TYPE, body: await metrics() }),
    '/health': async () => {
      const policy = { ...(options.policy ?? DEFAULT_HEALTH_POLICY), modelMeasure: false };
      const report = await runHealth(store, store.home, { policy, now: options.now, only: LIVE_HEALTH_CHECKS, record: false });
      return json(report.status === 'critical' ? 503 : 200, report);
    },
    '/status': async () => json(200, await options.status()),
    '/models': async () =>
      json(200, {
        models: (await listModels(store)).map((m) => ({
          id: m.id,
          slot: m.slot,
          status: m.status,
          family: m.family,
          version: m.version,
          symbols: m.symbols,
          interval: m.interval,
          createdAt: m.createdAt,
          statusChangedAt: m.statusChangedAt,
          metrics: m.metrics,
        })),
      }),
  };
}

/** Start serving `store` (see the module note). */
export async function serve(store: Store, options: ServeOptions): Promise<RunningServer> {
  return startServer({ host: options.host, port: options.port, token: options.token, routes: serveRoutes(store, options), onError: options.onError });
}
