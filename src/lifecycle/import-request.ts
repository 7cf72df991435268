/** The ImportRequest of `pulse models import FILE ...`: the feature set resolved in the home, the target built. */
import { resolveFeatureSet, withContext } from '../dataset/feature-set-files.js';
import type { ImportRequest } from './import-model.js';
import { parseTarget } from './targets.js';
import type { ModelsImportOptions } from './options.js';

export function importRequest(file: string, opts: ModelsImportOptions, home: string): ImportRequest {
  const { spec, references } = withContext(resolveFeatureSet(home, opts.set), []);
  return {
    file,
    format: opts.format,
    symbol: opts.symbol,
    interval: opts.interval,
    set: spec,
    references,
    target: parseTarget(opts.target, { horizon: opts.horizon }),
    activate: opts.activate ?? false,
  };
}
