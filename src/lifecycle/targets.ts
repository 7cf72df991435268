/**
 * Training targets: what `--target` means as a label and a task.
 * - `return`: forward log return over the horizon (regression).
 * - `direction`: up vs down over the horizon (binary; moves within the dead zone are left out of training), or
 *   up / flat / down with `classes: 'ternary'` (multiclass).
 * - `triple-barrier`: +1 / 0 / -1 by which of profit-take, stop-loss (k x rolling volatility) or the time barrier is
 *   hit first (multiclass).
 */
import { z } from 'zod';
import { UsageError } from '../core/errors.js';
import type { LabelSpec } from '../features/labels.js';
import type { Task } from '../models/model.js';

/** A label horizon in bars. */
export const horizonRange = z.number().int().min(1).max(10_000);

export const TARGETS = ['return', 'direction', 'triple-barrier'] as const;
export type TargetName = (typeof TARGETS)[number];

/** Target options (with defaults filled in, stored with the model). */
export interface TargetSpec {
  name: TargetName;
  horizon: number;
  /** direction: dead zone in log-return units. */
  deadZone: number;
  /** direction: binary (up/down) or ternary (up/flat/down). */
  classes: 'binary' | 'ternary';
  /** triple-barrier: profit-take and stop-loss in multiples of the rolling volatility, and its window. */
  profitTake: number;
  stopLoss: number;
  volWindow: number;
}

export function parseTarget(name: string, options: Partial<Omit<TargetSpec, 'name'>> = {}): TargetSpec {
  if (!(TARGETS as readonly string[]).includes(name)) {
    throw new UsageError(`unknown target "${name}"`, `use one of: ${TARGETS.join(', ')}`);
  }
  const spec: TargetSpec = {
    name: name as TargetName,
    horizon: options.horizon ?? 1,
    deadZone: options.deadZone ?? 0,
    classes: options.classes ?? 'binary',
    profitTake: options.profitTake ?? 2,
    stopLoss: options.stopLoss ?? 2,
    volWindow: options.volWindow ?? 20,
  };
  if (!Number.isInteger(spec.horizon) || spec.horizon < 1 || spec.horizon > 10_000) {
    throw new UsageError(`--horizon ${spec.horizon} is out of range`, 'use a whole number of bars from 1 to 10000');
  }
  if (!(spec.deadZone >= 0 && spec.deadZone < 1)) throw new UsageError(`--dead-zone ${spec.deadZone} is out of range`, 'use a log-return between 0 and 1, e.g. 0.001');
  return spec;
}

/** The label column and the learning task of a target. */
export function targetLabel(t: TargetSpec): { label: LabelSpec; task: Task } {
  switch (t.name) {
    case 'return':
      return { label: { kind: 'forwardReturn', horizon: t.horizon }, task: 'regression' };
    case 'direction':
      return {
        label: { kind: 'direction', horizon: t.horizon, deadZone: t.deadZone, classes: t.classes },
        task: t.classes === 'binary' ? 'binary' : 'multiclass',
      };
    case 'triple-barrier':
      return {
        label: { kind: 'tripleBarrier', horizon: t.horizon, profitTake: t.profitTake, stopLoss: t.stopLoss, volWindow: t.volWindow },
        task: 'multiclass',
      };
  }
}
