/**
 * The walk-forward document: what `pulse optimize --walk-forward N` prints at the end of a run and `pulse optimize
 * show NAME` prints later, built from the store (`walk_forwards`, `walk_forward_windows`) alone, so both print the
 * same figures. Efficiency and stability are computed here from the stored values (./summary.ts).
 */
import type { WalkForwardRow, WalkForwardWindowRow } from '../../store/records.js';
import type { Store } from '../../store/store.js';
import type { SearchSpace } from '../space.js';
import type { Direction } from '../trial.js';
import { meanEfficiency, parameterStability, windowEfficiency, type ParamStability } from './summary.js';
import type { WalkForwardScheme } from './windows.js';

/** Bars of one side of a window: open times (epoch ms) of the first and last bar, and their count. */
export interface WindowRange {
  from: number;
  to: number;
  bars: number;
}

/** One completed window. */
export interface WalkForwardWindowView {
  /** 1-based. */
  index: number;
  inSample: WindowRange;
  outOfSample: WindowRange;
  /** The window's study (`NAME.wf<index>`), with its seed. */
  study: string;
  seed: number;
  bestTrial: number;
  bestParams: Record<string, unknown>;
  /** The best trial's value: the objective over the in-sample cross-validation folds. */
  inSampleValue: number;
  /** The objective on the out-of-sample bars of the model trained in sample; null with a note when undefined. */
  outOfSampleValue: number | null;
  outOfSampleNote: string | null;
  /** See ./summary.ts; null where undefined. */
  efficiency: number | null;
}

/** What the walk-forward stored settings hold (fixed at creation, compared on resume). */
export interface WalkForwardSettings {
  subject: Record<string, string>;
  sampler: string;
  pruner: string;
  space: SearchSpace;
}

/** `pulse optimize --walk-forward N` and `pulse optimize show NAME` of a walk-forward optimisation. */
export interface WalkForwardDocument {
  study: string;
  symbol: string;
  interval: string;
  model: string;
  objective: string;
  direction: Direction;
  seed: number;
  sampler: string;
  pruner: string;
  createdAt: number;
  /** Windows asked for, and whether every one is complete. */
  windowsPlanned: number;
  complete: boolean;
  walkForward: {
    scheme: WalkForwardScheme;
    windows: WalkForwardWindowView[];
    /** Mean efficiency of the windows where it is defined (null when none is), and how many those are. */
    efficiency: number | null;
    efficiencyWindows: number;
    stability: Record<string, ParamStability>;
  };
}

/** The document of a stored walk-forward optimisation and its completed windows. */
export function walkForwardDocumentOf(row: WalkForwardRow, windows: readonly WalkForwardWindowRow[]): WalkForwardDocument {
  const settings = row.settings as unknown as WalkForwardSettings;
  const direction = row.direction as Direction;
  const views: WalkForwardWindowView[] = windows.map((w) => ({
    index: w.window,
    inSample: { from: w.inSampleFrom, to: w.inSampleTo, bars: w.inSampleBars },
    outOfSample: { from: w.outOfSampleFrom, to: w.outOfSampleTo, bars: w.outOfSampleBars },
    study: w.study,
    seed: w.seed,
    bestTrial: w.bestTrial,
    bestParams: { ...w.bestParams },
    inSampleValue: w.inSampleValue,
    outOfSampleValue: w.outOfSampleValue,
    outOfSampleNote: w.outOfSampleNote,
    efficiency: windowEfficiency(w.inSampleValue, w.outOfSampleValue, direction),
  }));
  const mean = meanEfficiency(views.map((v) => v.efficiency));
  const s = settings.subject;
  return {
    study: row.name, symbol: s.symbol ?? '', interval: s.interval ?? '', model: s.model ?? '', objective: s.objective ?? '', direction, seed: row.seed,
    sampler: settings.sampler, pruner: settings.pruner, createdAt: row.createdAt, windowsPlanned: row.windows, complete: views.length === row.windows,
    walkForward: {
      scheme: row.scheme as WalkForwardScheme,
      windows: views,
      efficiency: mean.mean,
      efficiencyWindows: mean.windows,
      stability: parameterStability(settings.space, views.map((v) => v.bestParams)),
    },
  };
}

/** The document of the walk-forward optimisation `name`, or undefined when there is none of that name. */
export async function walkForwardDocument(store: Store, name: string): Promise<WalkForwardDocument | undefined> {
  const row = await store.studies.getWalkForward(name);
  return row ? walkForwardDocumentOf(row, await store.studies.walkForwardWindows(name)) : undefined;
}

/** One line of `pulse optimize ls` for a walk-forward optimisation. */
export interface WalkForwardSummary {
  study: string;
  symbol: string;
  interval: string;
  model: string;
  objective: string;
  scheme: WalkForwardScheme;
  windows: number;
  completeWindows: number;
  efficiency: number | null;
  createdAt: number;
}

/** Every walk-forward optimisation (of `symbol` when given), newest first. */
export async function walkForwardSummaries(store: Store, filter: { symbol?: string } = {}): Promise<WalkForwardSummary[]> {
  const out: WalkForwardSummary[] = [];
  for (const row of await store.studies.listWalkForwards()) {
    const doc = walkForwardDocumentOf(row, await store.studies.walkForwardWindows(row.name));
    if (filter.symbol !== undefined && doc.symbol !== filter.symbol) continue;
    out.push({
      study: doc.study, symbol: doc.symbol, interval: doc.interval, model: doc.model, objective: doc.objective, scheme: doc.walkForward.scheme,
      windows: doc.windowsPlanned, completeWindows: doc.walkForward.windows.length, efficiency: doc.walkForward.efficiency, createdAt: doc.createdAt,
    });
  }
  return out.sort((a, b) => b.createdAt - a.createdAt || a.study.localeCompare(b.study));
}
