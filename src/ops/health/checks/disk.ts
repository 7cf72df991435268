/** Free space on the filesystem that holds the home. */
import { statfs } from 'node:fs/promises';
import { toError } from '../../../core/errors.js';
import { lowIsBad, result, type HealthCheck } from '../check.js';

export const diskCheck: HealthCheck = {
  name: 'disk',
  description: 'free space on the home\'s filesystem, in percent of its size, against the warn and critical floors',
  async run({ home, policy }) {
    let s;
    try {
      s = await statfs(home);
    } catch (err) {
      return [result('disk', 'unknown', `cannot read the free space of ${home}: ${toError(err).message}`)];
    }
    const freeBytes = s.bavail * s.bsize;
    const totalBytes = s.blocks * s.bsize;
    const freeDiskPct = totalBytes > 0 ? (100 * freeBytes) / totalBytes : 0;
    const state = lowIsBad(freeDiskPct, policy.diskWarnPct, policy.diskCriticalPct);
    const gib = (b: number) => (b / 2 ** 30).toFixed(1);
    return [result('disk', state, `${gib(freeBytes)} GiB free of ${gib(totalBytes)} GiB (${freeDiskPct.toFixed(1)}%)${state === 'ok' ? '' : `; below ${state === 'critical' ? policy.diskCriticalPct : policy.diskWarnPct}%`}`, { freeDiskPct, freeBytes })];
  },
};
