/**
 * A job type of the queue: one small file per type under `types/`, registered by name in `registry.ts`. A type
 * declares its parameters as a zod schema (checked when the job is queued, and again when it runs) and runs by
 * calling one domain function.
 */
import type { z } from 'zod';
import type { Config } from '../../config/config.js';
import type { LockFn } from '../../core/lock.js';
import type { Logger } from '../../core/logger.js';
import type { JobTrigger } from '../../store/records.js';
import type { Store } from '../../store/store.js';

/** What a job's run receives: the home it works in and the means to stop. */
export interface JobRunContext {
  /** The job's id (models a train job registers are linked to it). */
  jobId: number;
  store: Store;
  home: string;
  config: Config;
  env: Record<string, string | undefined>;
  now: () => number;
  log: Logger;
  lock: LockFn;
  /** Aborted when the job is interrupted: the domain function stops at its next safe point. */
  signal: AbortSignal;
  /** Whether a job type of this name is registered (for follow-ups of types that may not exist yet). */
  hasType(name: string): boolean;
}

/** A job to queue once another completes (a follow-up). */
export interface FollowUpJob {
  type: string;
  params: Record<string, unknown>;
  trigger: JobTrigger;
  /** Runs after the first that a failure may take, and the base delay between them (default: none). */
  retries?: number;
  backoffMs?: number;
}

/** What a completed job reports. */
export interface JobOutput {
  /** A small summary kept with the job (ids of what it made, headline figures). */
  result: Record<string, unknown>;
  /** Models registered and trainings failed (train jobs). */
  succeeded?: number;
  failed?: number;
  /** Jobs to queue now that this one has completed. */
  followUps?: FollowUpJob[];
}

/** One job type. */
export interface JobType<P extends Record<string, unknown> = Record<string, unknown>> {
  name: string;
  /** One line for help and the README. */
  description: string;
  /** The parameters (`--param k=v` / `--params JSON`), e.g. `symbols=ACME interval=1d model=ridge`. */
  paramsHelp: string;
  /** Validates and normalises the parameters; the normalised form is what the job stores. */
  params: z.ZodType<P>;
  /** A short label of what a job does, for listings (also given the parameters of old inline train runs). */
  describe(params: Record<string, unknown>): string;
  run(params: P, ctx: JobRunContext): Promise<JobOutput>;
  /**
   * Checks made when the job is queued beyond each parameter's own (how they combine, as the command's request
   * builder checks them); throws a UsageError.
   */
  check?(params: P, env: JobCheckEnv): Promise<void>;
}

/** What a type's queue-time check may consult. */
export interface JobCheckEnv {
  config: Config;
  home: string;
}

/**
 * A job type, checked against its parameter type, then registered without it: the queue hands `run` only
 * parameters its own `params` schema has parsed, so the parameter type holds.
 */
export function defineJobType<P extends Record<string, unknown>>(type: JobType<P>): JobType {
  return type as unknown as JobType;
}
