/**
 * `pulse dashboard`: one snapshot of a home's live state, re-read on every refresh. The same document feeds the
 * terminal dashboard, its plain-text form (no terminal) and `--json`.
 */
import type { Store } from '../../store/store.js';
import {
  activeEquity, driftVerdicts, jobQueue, latestHealth, latestPredictions, liveModels, runningAbTests,
  type AbTestLine, type DriftLine, type EquityLine, type HealthLine, type JobQueue, type LiveModel, type PredictionLine,
} from './panes.js';

export type { AbTestLine, DriftLine, EquityLine, HealthLine, JobLine, JobQueue, LiveModel, PredictionLine } from './panes.js';

/** Everything the dashboard shows, at one time. */
export interface DashboardSnapshot {
  /** When the snapshot was read (ms since 1970). */
  takenAt: number;
  /** The home watched. */
  home: string;
  /** Active models first, then shadows. */
  models: LiveModel[];
  /** Running A/B tests. */
  abTests: AbTestLine[];
  /** The job queue: counts by status, and the most recent jobs, newest first. */
  jobs: JobQueue;
  /** The newest predictions of the live models' series, newest bar first. */
  predictions: PredictionLine[];
  /** Per series, its latest dataset drift verdict. */
  drift: DriftLine[];
  /** The latest health run; null when none was recorded. */
  health: HealthLine | null;
  /** Per active model, the equity of its signals. */
  equity: EquityLine[];
}

/** Read the dashboard's snapshot of `store` at `now`. */
export async function dashboardSnapshot(store: Store, now: number): Promise<DashboardSnapshot> {
  const models = await liveModels(store);
  return {
    takenAt: now,
    home: store.home,
    models,
    abTests: await runningAbTests(store, now),
    jobs: await jobQueue(store),
    predictions: await latestPredictions(store, models),
    drift: await driftVerdicts(store),
    health: await latestHealth(store),
    equity: await activeEquity(store, models),
  };
}
