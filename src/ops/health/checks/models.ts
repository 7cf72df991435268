/** The files of the models in use (active and shadow): present, and matching the registry's sha256. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { hashFile } from '../../../core/hash.js';
import { result, type CheckResult, type HealthCheck } from '../check.js';

export const modelsCheck: HealthCheck = {
  name: 'models',
  description: 'every active or shadow model\'s file is present and matches the sha256 the registry recorded',
  async run({ store, home }) {
    const models = [...(await store.models.list({ status: 'active' })), ...(await store.models.list({ status: 'shadow' }))];
    if (models.length === 0) return [result('models', 'ok', 'no active or shadow model', { models: 0 })];
    const out: CheckResult[] = [];
    for (const m of models) {
      const file = join(home, m.filePath);
      if (!existsSync(file)) {
        out.push(result('models', m.status === 'active' ? 'critical' : 'warn', `${m.status} model ${m.id}: its file ${m.filePath} is missing; restore a backup or retrain`, {}, m.id));
        continue;
      }
      const { sha256, size } = await hashFile(file);
      if (sha256 !== m.fileSha256) {
        out.push(result('models', m.status === 'active' ? 'critical' : 'warn', `${m.status} model ${m.id}: its file does not match the registry's sha256; restore a backup or retrain`, { fileBytes: size }, m.id));
      } else {
        out.push(result('models', 'ok', `${m.status} model ${m.id} (${m.slot}): file ok`, { fileBytes: size }, m.id));
      }
    }
    return out;
  },
};
