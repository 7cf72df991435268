/**
 * A health check: one interface, one small file per check (checks/), registered in checks.ts. A check looks at one
 * part of a home and reports one or more results (one per model, series or source where it has several), each
 * `ok`, `warn`, `critical` or `unknown` with one line an operator can act on, and the figures behind it.
 */
import type { Store } from '../../store/store.js';
import { healthSettingsSchema, type HealthSettings } from './settings.js';

/** A result's state, in increasing severity (Nagios's OK, WARNING, CRITICAL, UNKNOWN). */
export type HealthState = 'ok' | 'warn' | 'critical' | 'unknown';

/** States by severity, for the overall status (`unknown` ranks between warn and critical, as Nagios's exit 3). */
export const STATE_RANK: Record<HealthState, number> = { ok: 0, warn: 1, unknown: 2, critical: 3 };

/** One result of a check. */
export interface CheckResult {
  /** The check's name (`store`, `disk`, `models`, ...). */
  check: string;
  /** What it is about when the check reports several (a model id, `SYMBOL 1h`, a source); null otherwise. */
  subject: string | null;
  state: HealthState;
  message: string;
  /** Figures behind the result, with units in the key (`freeDiskPct`, `walBytes`, `ageHours`). */
  metrics: Record<string, number>;
}

/** Thresholds of the checks: the `health` settings section (settings.ts, where each is described). */
export type HealthPolicy = HealthSettings;

/** The defaults: daily collects and backups, a 10% / 5% disk floor, models timed on 256 rows. */
export const DEFAULT_HEALTH_POLICY: HealthPolicy = healthSettingsSchema.parse({});

/** What every check receives. */
export interface HealthInput {
  store: Store;
  home: string;
  policy: HealthPolicy;
  now: number;
}

/** A health check. */
export interface HealthCheck {
  readonly name: string;
  /** One line on what the check looks at (for `pulse health --list` and the docs). */
  readonly description: string;
  run(input: HealthInput): Promise<CheckResult[]>;
}

/** A result of `check`. */
export function result(check: string, state: HealthState, message: string, metrics: Record<string, number> = {}, subject: string | null = null): CheckResult {
  return { check, subject, state, message, metrics };
}

/** The state of `value` against thresholds where lower is worse (free disk). */
export function lowIsBad(value: number, warn: number, critical: number): HealthState {
  return value < critical ? 'critical' : value < warn ? 'warn' : 'ok';
}

/** The state of `value` against thresholds where higher is worse (ages, sizes). */
export function highIsBad(value: number, warn: number, critical: number): HealthState {
  return value >= critical ? 'critical' : value >= warn ? 'warn' : 'ok';
}
