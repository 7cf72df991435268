/**
 * The bar sources `pulse collect --source` accepts, by name. Online sources are loaded lazily so that commands
 * which never touch the network do not pay for yahoo-finance2's import.
 */
import { Rng } from '../../core/rng.js';
import type { Sleep } from './http.js';
import type { BarSource, HttpFetch } from './source.js';
import { SyntheticSource } from './synthetic.js';

/** What a source needs from the run. */
export interface SourceDeps {
  fetch?: HttpFetch;
  seed: number;
  now: () => number;
  sleep?: Sleep;
  timeoutMs: number;
  retries: number;
}

type Factory = (deps: SourceDeps) => Promise<BarSource>;

const FACTORIES = {
  synthetic: async (d) => new SyntheticSource({ seed: d.seed, now: d.now }),
  yahoo: async (d) => (await import('./yahoo.js')).createYahooSource(online(d)),
  binance: async (d) => (await import('./binance.js')).createBinanceSource(online(d)),
} satisfies Record<string, Factory>;

export type SourceName = keyof typeof FACTORIES;

/** Names of the bar sources (besides `csv`, which reads a file). */
export const SOURCE_NAMES = Object.keys(FACTORIES) as SourceName[];

export function isSourceName(name: string): name is SourceName {
  return Object.hasOwn(FACTORIES, name);
}

/** Create the named source. */
export function createSource(name: SourceName, deps: SourceDeps): Promise<BarSource> {
  return FACTORIES[name](deps);
}

function online(d: SourceDeps) {
  return { fetch: d.fetch, rng: new Rng(d.seed), sleep: d.sleep, timeoutMs: d.timeoutMs, retries: d.retries, now: d.now };
}
