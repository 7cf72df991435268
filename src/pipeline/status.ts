/**
 * `pulse status`: the operator's view of the continuous-learning loop, built from what the store holds: which model
 * is active and which shadow in each slot, the newest training job, drift check and model decision, jobs waiting or
 * failed, and the loop's settings (config `clm`).
 *
 * Each field has its own query function (STATUS_FIELDS): a new source changes one function.
 */
import type { ClmSettings } from '../monitor/settings.js';
import type { Store } from '../store/store.js';

/** What every field's query receives. */
export interface StatusInput {
  store: Store;
  clm: ClmSettings;
  now: number;
}

/** The newest training job. */
export interface RetrainingSummary {
  jobId: number;
  trigger: string;
  status: string;
  createdAt: number;
  finishedAt: number | null;
  modelsSucceeded: number;
  modelsFailed: number;
}

/** The newest drift check: its dataset verdict (or, for a check without one, its newest row). */
export interface DriftCheckSummary {
  checkId: string;
  symbol: string;
  interval: string;
  modelId: string | null;
  drifted: boolean;
  severity: string;
  /** The dataset row's score: the share of drifted features. */
  score: number;
  triggerRetraining: boolean;
  detectedAt: number;
}

/** The newest decision about a slot's active model (promotion, refusal, forced change, rollback). */
export interface ModelDecisionSummary {
  kind: string;
  slot: string;
  modelId: string;
  previousId: string | null;
  reason: string;
  createdAt: number;
}

/** The newest cycle (`pulse cycle`, not simulated): when, how it ended, its steps and failed steps. */
export interface CycleSummary {
  id: number;
  startedAt: number;
  endedAt: number | null;
  status: string;
  steps: number;
  failed: string[];
}

/** The newest evaluation written to the performance history (`pulse evaluate --by`, `pulse cycle`). */
export interface PerformanceCheckSummary {
  computedAt: number;
  slot: string;
  modelId: string;
  periodEnd: number;
}

/** A running A/B test. */
export interface AbTestSummary {
  id: number;
  slot: string;
  control: string;
  challenger: string;
  split: number;
  startedAt: number;
}

/** The status document (`pulse status --json`, `GET /status` of `pulse serve`). */
export interface StatusDocument {
  /** Config `clm.enabled`. */
  enabled: boolean;
  /** The newest cycle of the loop. */
  lastCycle: CycleSummary | null;
  lastRetraining: RetrainingSummary | null;
  lastDriftCheck: DriftCheckSummary | null;
  lastPerformanceCheck: PerformanceCheckSummary | null;
  lastModelDecision: ModelDecisionSummary | null;
  config: ClmSettings;
  /** Each slot's active model id. */
  active: Record<string, string>;
  /** Each slot's shadow model ids, newest first. */
  shadows: Record<string, string[]>;
  /** Running A/B tests. */
  abTests: AbTestSummary[];
  jobs: { pending: number; running: number; failed: number };
}

type Fields = { [K in keyof StatusDocument]: (input: StatusInput) => Promise<StatusDocument[K]> };

/** One query per field, in the document's order. */
export const STATUS_FIELDS: Fields = {
  enabled: async ({ clm }) => clm.enabled,
  lastCycle: async ({ store }) => {
    const [c] = await store.cycles.list({ limit: 1, simulated: false });
    if (!c) return null;
    const failed = c.steps.filter((s) => s.status === 'failed').map((s) => `${s.step}${s.slot ? ` ${s.slot}` : ''}: ${s.detail}`);
    return { id: c.id, startedAt: c.startedAt, endedAt: c.endedAt, status: c.status, steps: c.steps.length, failed };
  },
  lastRetraining: async ({ store }) => {
    const [job] = await store.jobs.list(1);
    if (!job) return null;
    const { id, trigger, status, createdAt, finishedAt, modelsSucceeded, modelsFailed } = job;
    return { jobId: id, trigger, status, createdAt, finishedAt, modelsSucceeded, modelsFailed };
  },
  lastDriftCheck: async ({ store }) => {
    const [newest] = await store.drift.list({ limit: 1 });
    if (!newest) return null;
    const [dataset] = await store.drift.list({ symbol: newest.symbol, interval: newest.interval, type: 'dataset', limit: 1 });
    const row = dataset?.checkId === newest.checkId ? dataset : newest;
    return { checkId: row.checkId, symbol: row.symbol, interval: row.interval, modelId: row.modelId, drifted: row.drifted, severity: row.severity, score: row.score, triggerRetraining: row.triggerRetraining, detectedAt: row.detectedAt };
  },
  lastPerformanceCheck: async ({ store }) => {
    const p = await store.performance.newest();
    return p ? { computedAt: p.computedAt, slot: p.slot, modelId: p.modelId, periodEnd: p.periodEnd } : null;
  },
  lastModelDecision: async ({ store }) => {
    const [e] = await store.modelEvents.list({ limit: 1 });
    return e ? { kind: e.kind, slot: e.slot, modelId: e.modelId, previousId: e.previousId, reason: e.reason, createdAt: e.createdAt } : null;
  },
  config: async ({ clm }) => clm,
  active: async ({ store }) => Object.fromEntries((await store.models.list({ status: 'active' })).map((m) => [m.slot, m.id]).sort(([a], [b]) => a.localeCompare(b))),
  shadows: async ({ store }) => {
    const out: Record<string, string[]> = {};
    for (const m of await store.models.list({ status: 'shadow' })) (out[m.slot] ??= []).push(m.id);
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
  },
  abTests: async ({ store }) =>
    (await store.abTests.list({ status: 'running' })).map((t) => ({ id: t.id, slot: t.slot, control: t.control, challenger: t.challenger, split: t.split, startedAt: t.startedAt })),
  jobs: async ({ store }) => {
    const counts = await store.jobs.countByStatus();
    return { pending: counts.pending, running: counts.running, failed: counts.failed };
  },
};

/** The status document of a home. */
export async function statusDocument(input: StatusInput): Promise<StatusDocument> {
  const doc: Partial<Record<keyof StatusDocument, unknown>> = {};
  for (const [key, query] of Object.entries(STATUS_FIELDS) as [keyof StatusDocument, (i: StatusInput) => Promise<unknown>][]) doc[key] = await query(input);
  return doc as StatusDocument;
}
