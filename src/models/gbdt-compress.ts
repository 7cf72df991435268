/**
 * The GBDT families' compressor (their `compress` trait): the engine's compression (src/gbdt/compress.ts) on the
 * check rows. Loaded only by `pulse models compress`, so prediction does not load the compression code.
 */
import { compressGbdt } from '../gbdt/compress.js';
import type { CompressionCheck, CompressionOutcome, CompressionTolerances } from './compression.js';
import { checkFrame } from './model-params.js';
import { toRowMajor } from './frame.js';
import type { GbdtFamilyModel } from './gbdt-model.js';

/**
 * A compressed copy of a GBDT-family model: leaves merged, thresholds rounded, leaves stored as float16 or int8,
 * iterations dropped, each step kept only while the check rows' predictions stay acceptable.
 */
export function compressGbdtFamily(m: GbdtFamilyModel, tolerances: CompressionTolerances, check: CompressionCheck): CompressionOutcome {
  const model = m.gbdtModel;
  checkFrame(check.X, `${m.family} compression rows`, model.featureNames);
  const { model: compressed, report } = compressGbdt(model, { X: toRowMajor(check.X), numRows: check.X.numRows, loss: check.loss, accept: check.accept }, tolerances);
  return { model: m.withEngineModel(compressed), steps: { ...report } };
}
