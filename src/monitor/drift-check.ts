/**
 * `pulse drift-check`: has the data a model sees moved away from the data it was trained on?
 *
 * Windows: the reference is the model's training window by default (`train`), or a date range; the current window
 * is the newest N bars (default 500) or a date range. Without a model, the feature set's whole history before the
 * current window is the reference.
 *
 * What is compared, window against window, with each column's test picked by Evidently's rule (`auto`) or named:
 * - every feature of the model's feature set (warm-up rows, NaN, are left out and counted);
 * - with a model, its predictions on both windows (prediction drift) and the realised labels of its target (target
 *   drift; the newest labels are not known yet and drop out).
 * The dataset drifts when the share of drifted features is at least `driftShare` (0.5, Evidently's default).
 * Every check is recorded in the store's `drift_events`, one row per column plus one for the dataset verdict.
 */
import { randomUUID } from 'node:crypto';
import { lowerBound } from '../core/arrays.js';
import { DataError, UsageError } from '../core/errors.js';
import type { Interval } from '../core/interval.js';
import { buildFeatureFrame } from '../dataset/feature-frame.js';
import type { FeatureSetSpec } from '../features/feature-set.js';
import { SYMBOL_ID } from '../lifecycle/document.js';
import { labelName } from '../features/labels.js';
import { targetLabel } from '../lifecycle/targets.js';
import type { DriftEventRecord } from '../store/records.js';
import type { Store } from '../store/store.js';
import { detectColumnDrift, summarizeDatasetDrift, type ColumnDrift } from './drift/dataset-drift.js';
import { hasFinite, type DriftTestName } from './drift/drift-test.js';
import { driftHistogram, type DriftHistogram } from './drift/histogram.js';
import { DRIFT_SEVERITIES, type DriftSeverity } from './drift/severity.js';

/** Newest bars in the current window by default. */
export const DEFAULT_CURRENT_BARS = 500;

/** A window: bar times [from, to), or the newest `bars` bars. */
export type WindowSpec = { from?: number; to?: number } | { bars: number };

export interface DriftCheckRequest {
  symbol: string;
  interval: Interval;
  /** A model id, or `active` for the series' active model; absent: check a feature set. */
  model?: string;
  /** The feature set when there is no model. */
  set?: { spec: FeatureSetSpec; references: Record<string, string> };
  /** `train` (with a model) or a time range; default `train` with a model, else everything before `current`. */
  reference?: 'train' | { from?: number; to?: number };
  current?: WindowSpec;
  method: DriftTestName | 'auto';
  driftShare: number;
  /** The level of the p-value tests (KS, chi-square, Z); their Evidently default (0.05) when absent. */
  pValueThreshold?: number;
  now: number;
  /** Also return each checked column's two distributions on common bins (what `--report` draws). */
  distributions?: boolean;
  /** The caller queues a retraining of the model's slot on dataset drift (`--retrain`): recorded with the check. */
  retrain?: boolean;
}

/** One column's verdict, as `--json` reports it. */
export interface ColumnVerdict {
  feature: string;
  test: DriftTestName;
  statistic: number;
  pValue: number | null;
  threshold: number;
  drifted: boolean;
  severity: DriftSeverity;
  /** Finite rows used from each window, and NaN rows left out. */
  referenceRows: number;
  currentRows: number;
  dropped: number;
}

export interface DriftCheckResult {
  checkId: string;
  symbol: string;
  interval: Interval;
  model: string | null;
  /** The model's slot (what a retraining retrains), or null without a model. */
  slot: string | null;
  reference: { from: number; to: number; rows: number };
  current: { from: number; to: number; rows: number };
  datasetDrift: boolean;
  driftShare: number;
  shareOfDriftedFeatures: number;
  severity: DriftSeverity;
  features: ColumnVerdict[];
  /** Columns left out because a window had no finite value (a lookback longer than the window, say). */
  skipped: { feature: string; reason: string }[];
  prediction: ColumnVerdict | null;
  target: ColumnVerdict | null;
  triggerRetraining: boolean;
  /** With `request.distributions`: each checked column's histograms, by column name. */
  distributions?: Record<string, DriftHistogram>;
}

/** `localeCompare`'s order, with one collator instead of one per comparison. */
const byName = new Intl.Collator().compare;

/** Drifted columns first, then by severity, then by name. */
function byConcern(a: ColumnDrift, b: ColumnDrift): number {
  return Number(b.drifted) - Number(a.drifted) || DRIFT_SEVERITIES.indexOf(b.severity) - DRIFT_SEVERITIES.indexOf(a.severity) || byName(a.column, b.column);
}

function verdict(c: ColumnDrift): ColumnVerdict {
  return {
    feature: c.column, test: c.test, statistic: c.statistic, pValue: c.pValue, threshold: c.threshold, drifted: c.drifted, severity: c.severity,
    referenceRows: c.referenceRows, currentRows: c.currentRows, dropped: c.referenceDropped + c.currentDropped,
  };
}

/** Row range [start, end) of sorted bar times for a window. */
function rowsOf(time: Float64Array, window: WindowSpec, end = time.length): [number, number] {
  if ('bars' in window) return [Math.max(0, end - window.bars), end];
  const from = window.from === undefined ? 0 : lowerBound(time, window.from, time.length);
  const to = window.to === undefined ? time.length : lowerBound(time, window.to, time.length);
  return [from, to];
}

/** Run the check (see the module note) and record it. */
export async function driftCheck(store: Store, request: DriftCheckRequest): Promise<DriftCheckResult> {
  // The registry and the model stack load only when a model is checked (a feature set alone needs neither).
  const model = request.model === undefined ? null : await import('./drift-model.js');
  const named = model ? await model.loadDriftModel(store, request.model!, request.symbol, request.interval) : null;
  const version = named?.version ?? null;
  const loaded = named?.loaded ?? null;
  const set = loaded ? { spec: loaded.set, references: loaded.references } : request.set;
  if (!set) throw new UsageError('name a model (--model ID|active) or a feature set (--set NAME)', 'e.g. pulse drift-check ACME --interval 1d --model active');
  const label = loaded ? targetLabel(loaded.target).label : null;
  const frame = await buildFeatureFrame(store, { symbol: request.symbol, interval: request.interval, set: set.spec, references: set.references, labels: label ? [label] : [] });
  const time = frame.time;

  const [curStart, curEnd] = rowsOf(time, request.current ?? { bars: DEFAULT_CURRENT_BARS });
  const reference = request.reference ?? (version ? 'train' : { to: curStart < time.length ? time[curStart] : undefined });
  let refStart: number;
  let refEnd: number;
  if (reference === 'train') {
    if (!version) throw new UsageError('--reference train needs a model', 'name a model with --model, or give --reference FROM..TO');
    [refStart, refEnd] = rowsOf(time, { from: version.trainFrom, to: version.trainTo + 1 });
  } else {
    [refStart, refEnd] = rowsOf(time, reference);
  }
  for (const [name, a, b] of [['reference', refStart, refEnd], ['current', curStart, curEnd]] as const) {
    if (b - a < 2) throw new DataError(`the ${name} window holds ${Math.max(0, b - a)} bars of ${request.symbol} ${request.interval}`, `widen --${name}, or collect more bars`);
  }

  const test = request.method;
  const columns: ColumnDrift[] = [];
  const skipped: { feature: string; reason: string }[] = [];
  const distributions: Record<string, DriftHistogram> = {};
  const check = (name: string, values: Float64Array): ColumnDrift | null => {
    const ref = values.subarray(refStart, refEnd);
    const cur = values.subarray(curStart, curEnd);
    const emptyRef = !hasFinite(ref);
    if (emptyRef || !hasFinite(cur)) {
      skipped.push({ feature: name, reason: `no finite value in the ${emptyRef ? 'reference' : 'current'} window` });
      return null;
    }
    if (request.distributions) distributions[name] = driftHistogram(ref, cur);
    return detectColumnDrift({ name, kind: 'numerical', reference: ref, current: cur, test, pValueThreshold: request.pValueThreshold });
  };
  frame.names.forEach((name, i) => {
    if (name === SYMBOL_ID) return;
    const c = check(name, frame.columns[i]);
    if (c) columns.push(c);
  });
  if (columns.length === 0) throw new DataError('no feature has values in both windows', 'widen the windows past the features\' warm-up');
  const dataset = summarizeDatasetDrift(columns, request.driftShare);

  let prediction: ColumnDrift | null = null;
  let target: ColumnDrift | null = null;
  if (model && loaded) {
    prediction = check('prediction', model.predictionsOn(loaded, frame));
    target = check(labelName(label!), frame.labels[0]);
  }

  const checkId = randomUUID();
  // A retraining is asked for when the dataset drifted and the caller queues one (`--retrain`, or the cycle).
  const triggerRetraining = (request.retrain ?? false) && version !== null && dataset.datasetDrift;
  const events: Omit<DriftEventRecord, 'id'>[] = [];
  const base = { checkId, symbol: request.symbol, interval: request.interval, modelId: version?.id ?? null, detectedAt: request.now, triggerRetraining };
  for (const [type, list] of [['feature', columns], ['prediction', prediction ? [prediction] : []], ['target', target ? [target] : []]] as const) {
    for (const c of list) events.push({ ...base, type, feature: c.column, test: c.test, score: c.score, pValue: c.pValue, threshold: c.threshold, drifted: c.drifted, severity: c.severity });
  }
  events.push({ ...base, type: 'dataset', feature: null, test: null, score: dataset.shareOfDriftedColumns, pValue: null, threshold: dataset.driftShare, drifted: dataset.datasetDrift, severity: dataset.severity });
  await store.drift.insert(events);

  return {
    checkId,
    symbol: request.symbol,
    interval: request.interval,
    model: version?.id ?? null,
    slot: version?.slot ?? null,
    reference: { from: time[refStart], to: time[refEnd - 1], rows: refEnd - refStart },
    current: { from: time[curStart], to: time[curEnd - 1], rows: curEnd - curStart },
    datasetDrift: dataset.datasetDrift,
    driftShare: dataset.driftShare,
    shareOfDriftedFeatures: dataset.shareOfDriftedColumns,
    severity: dataset.severity,
    features: [...columns].sort(byConcern).map(verdict),
    skipped,
    prediction: prediction ? verdict(prediction) : null,
    target: target ? verdict(target) : null,
    triggerRetraining,
    ...(request.distributions ? { distributions } : {}),
  };
}
