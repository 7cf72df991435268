/**
 * The command-line syntax for labels: comma-separated items, each a kind with colon-separated parameters.
 *
 *   return:h=1                                  forward log return over 1 bar
 *   direction:h=5:dz=0.001[:binary]             direction over 5 bars with a dead zone (log-return units)
 *   triple-barrier:h=10:pt=2:sl=1[:vol=20]      profit-take / stop-loss at k x rolling volatility, time barrier h
 */
import { UsageError } from '../core/errors.js';
import { parseLabelSpecs, type LabelSpec } from '../features/labels.js';

const KINDS: Record<string, { kind: LabelSpec['kind']; params: Record<string, string> }> = {
  return: { kind: 'forwardReturn', params: { h: 'horizon' } },
  direction: { kind: 'direction', params: { h: 'horizon', dz: 'deadZone' } },
  'triple-barrier': { kind: 'tripleBarrier', params: { h: 'horizon', pt: 'profitTake', sl: 'stopLoss', vol: 'volWindow' } },
};

/** Parse `--labels` (see the module note). */
export function parseLabelOption(text: string): LabelSpec[] {
  const items = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new UsageError('--labels is empty', 'e.g. --labels return:h=1,direction:h=5');
  const raw = items.map((item) => {
    const [head, ...parts] = item.split(':');
    const def = KINDS[head];
    if (!def) throw new UsageError(`unknown label kind "${head}" in --labels`, `use ${Object.keys(KINDS).join(', ')}, e.g. return:h=1`);
    const spec: Record<string, unknown> = { kind: def.kind };
    for (const p of parts) {
      if (p === 'binary' && def.kind === 'direction') {
        spec.classes = 'binary';
        continue;
      }
      const [k, v] = p.split('=');
      const field = def.params[k];
      if (!field || v === undefined || v === '' || !Number.isFinite(Number(v))) {
        throw new UsageError(`label parameter "${p}" of "${item}" is not valid`, `${head} takes ${Object.keys(def.params).map((x) => `${x}=NUMBER`).join(', ')}${def.kind === 'direction' ? ', binary' : ''}`);
      }
      spec[field] = Number(v);
    }
    if (spec.horizon === undefined) spec.horizon = 1;
    return spec;
  });
  // Problems are named as written: `h` for the horizon, and the item when there are several.
  const name = (path: readonly PropertyKey[]): string => {
    const [index, field] = path;
    const item = typeof index === 'number' ? items[index] : undefined;
    const head = item?.split(':')[0] ?? '';
    const key = Object.entries(KINDS[head]?.params ?? {}).find(([, f]) => f === field)?.[0] ?? String(field ?? '');
    return items.length > 1 && item ? `${item}: ${key}` : key;
  };
  try {
    return parseLabelSpecs(raw, { name });
  } catch (err) {
    throw new UsageError(`--labels "${text}": ${(err as Error).message.replace(/^invalid label specs: /, '')}`, 'e.g. --labels return:h=1,direction:h=5:dz=0.001');
  }
}
