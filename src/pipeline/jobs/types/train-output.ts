/** What train and retrain jobs keep of a training: the models registered and the failures. */
import type { TrainJobResult } from '../../../train/train-job.js';
import type { JobOutput } from '../job-type.js';

export function trainOutput(run: TrainJobResult): JobOutput {
  return {
    result: {
      models: run.models.map((m) => ({ id: m.model.id, status: m.model.status, slot: m.model.slot, testMetrics: m.testMetrics })),
      failures: run.failures,
    },
    succeeded: run.models.length,
    failed: run.failures.length,
  };
}
