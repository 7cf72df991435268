/** Backups: the age of the newest backup recorded by this home. */
import { highIsBad, result, type HealthCheck } from '../check.js';

const HOUR = 3_600_000;

export const backupsCheck: HealthCheck = {
  name: 'backups',
  description: 'the age of the newest backup (pulse backup create) against the warn and critical ages',
  async run({ store, policy, now }) {
    const [newest] = await store.backups.list();
    if (!newest) return [result('backups', 'warn', 'no backup yet; take one with pulse backup create', {})];
    const ageHours = (now - newest.createdAt) / HOUR;
    const state = highIsBad(ageHours, policy.backupWarnHours, policy.backupCriticalHours);
    return [result('backups', state, `the newest backup is ${ageHours.toFixed(1)} h old (${newest.path})${state === 'ok' ? '' : '; run pulse backup create'}`, { backupAgeHours: ageHours })];
  },
};
