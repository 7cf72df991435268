/** Rendering pieces shared by the market-data commands. */
import type { ResampleOutcome } from '../../src/market/stored-resample.js';
import { formatCount } from './output.js';

/** One line describing a resampling outcome. */
export function describeResample(r: ResampleOutcome): string {
  const notes = [
    r.leadingPartialDropped ? 'the first bucket, which the data starts inside, was left out' : '',
    r.incompleteDropped ? 'the last, still open bucket was left out' : '',
  ].filter(Boolean);
  return `${formatCount(r.buckets)} ${r.interval} bars (${formatCount(r.inserted)} new, ${formatCount(r.updated)} revised, ${formatCount(r.unchanged)} unchanged)${notes.length ? `; ${notes.join('; ')}` : ''}`;
}
