/**
 * `pulse models export`: a registered model as its registry document (byte for byte) or, for the families with
 * trees, as LightGBM model text that predicts exactly what pulse predicts.
 */
import { UsageError } from '../core/errors.js';
import { writeLightGbmText } from '../gbdt/format/lightgbm-text.js';
import type { GbdtModel } from '../gbdt/model.js';
import { treesUsed } from '../gbdt/predict.js';
import { familyTraits, GBDT_FAMILIES, modelFromJSON } from '../models/registry.js';
import { getModel, readModelDocument } from '../registry/registry.js';
import type { Store } from '../store/store.js';
import type { RegistryModelDocument } from './document.js';
import { readRegisteredDocument } from './load.js';

/** Formats `pulse models export` writes. */
/** Formats `pulse models export` writes. */
export const EXPORT_FORMATS = ['pulse', 'lightgbm'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** An exported model: the file content and what it came from. */
export interface ExportedModel {
  modelId: string;
  family: string;
  format: ExportFormat;
  /** File content (UTF-8 text). */
  text: string;
  /** Trees written (LightGBM text: only the iterations prediction uses), null for the pulse document. */
  trees: number | null;
}

/** The engine model of a GBDT-family registry document; `UsageError` for the other families. */
export function gbdtModelOf(doc: RegistryModelDocument, modelId: string, purpose: string): GbdtModel {
  const model = modelFromJSON(doc.model);
  const trees = familyTraits(model.family).trees;
  if (!trees) {
    throw new UsageError(`model ${modelId} (family ${model.family}) has no trees: ${purpose} needs a GBDT model (${GBDT_FAMILIES.join(', ')})`,
      'use --format pulse to export the registry document');
  }
  return trees(model);
}

/**
 * The engine model cut to the iterations prediction uses (early stopping keeps trees past the best iteration;
 * other tools would use them all), so an exported file predicts exactly what pulse predicts.
 */
export function usedIterationsOnly(model: GbdtModel): GbdtModel {
  const n = treesUsed(model);
  const { ensemble } = model;
  if (n === ensemble.trees.length) return model;
  return {
    ...model,
    ensemble: { ...ensemble, trees: ensemble.trees.slice(0, n), treeWeight: ensemble.treeWeight?.slice(0, n) },
    bestIteration: null,
  };
}

/**
 * Export a registered model. `pulse` returns the registry document byte for byte (checksum-verified);
 * `lightgbm` writes LightGBM's model-text layout through the engine's writer (GBDT families only).
 * @throws UsageError for LightGBM export of a non-GBDT model; ModelFormatError for a damaged file or a model
 *   LightGBM cannot express (e.g. XGBoost categorical splits).
 */
export async function exportModel(store: Store, id: string, format: ExportFormat): Promise<ExportedModel> {
  const model = await getModel(store, id);
  if (format === 'pulse') return { modelId: id, family: model.family, format, text: readModelDocument(model), trees: null };
  const doc = readRegisteredDocument(model);
  const gbdt = usedIterationsOnly(gbdtModelOf(doc, id, 'LightGBM export'));
  return { modelId: id, family: model.family, format, text: writeLightGbmText(gbdt), trees: gbdt.ensemble.trees.length };
}
