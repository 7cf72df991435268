/**
 * Model compression levels and what a family's compressor receives and returns. The levels' tolerances are defined
 * once, here; a family that can be compressed declares a `compress` trait (src/models/registry.ts), and
 * `pulse models compress` (src/lifecycle/compress.ts) supplies the held-out rows and the loss.
 */
import type { LeafEncodingName } from '../gbdt/leaf-encoding.js';
import type { FeatureColumns, Model } from './model.js';

/** Compression levels, mildest first. */
export const COMPRESSION_LEVELS = ['conservative', 'moderate', 'aggressive'] as const;
export type CompressionLevel = (typeof COMPRESSION_LEVELS)[number];

/** The tolerances of a level. */
export interface CompressionTolerances {
  /** Largest allowed rise of the test-tail loss, as a share of the original's (0.001 = +0.1%). */
  lossRise: number;
  /**
   * Largest allowed change of any prediction on the test tail, in standard deviations of the original's test-tail
   * predictions (so a step that keeps the loss but moves the forecasts is refused too).
   */
  predictionShift: number;
  /** GBDT: sibling leaves merge when the values they cover differ by at most this share of the largest |leaf value|. */
  leafMerge: number;
  /** GBDT: significant decimal digits kept in split thresholds (and split gains and covers). */
  thresholdDigits: number;
  /** GBDT: leaf value storage (falls back to a finer one when it alone breaks the loss budget). */
  leafEncoding: LeafEncodingName;
  /**
   * Linear: at most this share of the coefficients is pruned (set to 0), smallest |standardised coefficient| first,
   * each only while the loss stays within the budget.
   */
  coefPrune: number;
}

/** The one table of level tolerances (README "pulse models compress" shows it with measured outcomes). */
export const COMPRESSION_TOLERANCES: Readonly<Record<CompressionLevel, CompressionTolerances>> = {
  conservative: { lossRise: 0.001, predictionShift: 0.02, leafMerge: 0, thresholdDigits: 9, leafEncoding: 'float16', coefPrune: 0.25 },
  moderate: { lossRise: 0.005, predictionShift: 0.1, leafMerge: 0.01, thresholdDigits: 7, leafEncoding: 'int8', coefPrune: 0.5 },
  aggressive: { lossRise: 0.02, predictionShift: 0.25, leafMerge: 0.05, thresholdDigits: 5, leafEncoding: 'int8', coefPrune: 0.9 },
};

/**
 * The held-out rows a compressor checks against: the family's loss of predictions on them (lower is better), and
 * whether predictions are acceptable (the loss within the level's budget and no prediction moved further than the
 * level allows from the original's).
 */
export interface CompressionCheck {
  X: FeatureColumns;
  /** Predictions in `Model.predict`'s layout -> loss. */
  loss: (predictions: Float64Array) => number;
  /** Predictions in `Model.predict`'s layout -> within the level's tolerances. */
  accept: (predictions: Float64Array) => boolean;
}

/** A compressed model and what each step did (family-specific, JSON-safe). */
export interface CompressionOutcome {
  model: Model;
  steps: Record<string, unknown>;
}

/**
 * A family's compressor: the model compressed within the tolerances, checked on the held-out rows. Asynchronous so
 * that a family can load its compression code only when asked.
 */
export type Compressor = (model: Model, tolerances: CompressionTolerances, check: CompressionCheck) => Promise<CompressionOutcome>;
