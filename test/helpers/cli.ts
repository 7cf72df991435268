import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './shared.js';

/** The built CLI (npm test builds before running vitest). */
export const CLI = join(REPO_ROOT, 'dist', 'bin', 'pulse.js');
export const HAS_BUILD = existsSync(CLI);

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (for --json runs). */
  json<T = any>(): T;
}

function cleanEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...extra };
  delete env.PULSE_HOME;
  delete env.PULSE_DEBUG;
  for (const k of Object.keys(env)) if (k.startsWith('PULSE__')) delete env[k];
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

function result(status: number | null, stdout: string, stderr: string): CliResult {
  return {
    status,
    stdout,
    stderr,
    json: () => {
      try {
        return JSON.parse(stdout);
      } catch {
        throw new Error(`stdout is not JSON (exit ${status}):\n${stdout}\nstderr:\n${stderr}`);
      }
    },
  };
}

/** Run the built CLI synchronously. */
export function pulse(args: string[], options: { input?: string; env?: Record<string, string | undefined>; cwd?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], { input: options.input, env: cleanEnv(options.env ?? {}), cwd: options.cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  return result(r.status, r.stdout, r.stderr);
}

/** Run the built CLI as a child process (for concurrency and signal tests). */
export function pulseAsync(args: string[], options: { env?: Record<string, string | undefined>; stdin?: 'pipe' | 'ignore' } = {}) {
  const child = spawn(process.execPath, [CLI, ...args], { env: cleanEnv(options.env ?? {}), stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => (stdout += d));
  child.stderr?.on('data', (d) => (stderr += d));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code) => resolve(result(code, stdout, stderr))));
  return { child, done };
}
