/**
 * Rendering shared by every command. Results are plain objects from src/; this module turns them into either one
 * stable JSON document on stdout (`{ schemaVersion, command, result }`) or text for people. Labels live here only.
 */
import type { Context } from '../context.js';

/** Version of the --json envelope; bumped only on incompatible changes to a command's result shape. */
export const JSON_SCHEMA_VERSION = 1;

/**
 * Print a command's result: JSON with --json, otherwise the human rendering (skipped with --quiet unless `always`).
 */
export function emit<T>(ctx: Context, result: T, human: (result: T) => string, options: { always?: boolean } = {}): void {
  if (ctx.json) {
    ctx.stdout.write(`${JSON.stringify({ schemaVersion: JSON_SCHEMA_VERSION, command: ctx.command, result }, null, 2)}\n`);
    return;
  }
  if (ctx.quiet && !options.always) return;
  const text = human(result);
  if (text) ctx.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Minimal ANSI styling that honours NO_COLOR / --no-color / non-TTY output. */
export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  red(s: string): string;
  cyan(s: string): string;
}

export function style(ctx: Pick<Context, 'color'>): Style {
  const wrap = (open: number, close: number) => (s: string) => (ctx.color ? `\u001b[${open}m${s}\u001b[${close}m` : s);
  return { bold: wrap(1, 22), dim: wrap(2, 22), green: wrap(32, 39), yellow: wrap(33, 39), red: wrap(31, 39), cyan: wrap(36, 39) };
}

/** A plain aligned text table (no borders, so it pastes cleanly into logs and tickets). */
export function table(headers: string[], rows: (string | number | null | undefined)[][], align?: ('l' | 'r')[]): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => (c === null || c === undefined ? '-' : String(c))))];
  const widths = headers.map((_, j) => Math.max(...cells.map((r) => visibleLength(r[j] ?? ''))));
  const line = (r: string[]) =>
    r
      .map((c, j) => {
        const pad = ' '.repeat(widths[j] - visibleLength(c));
        return (align?.[j] ?? 'l') === 'r' ? pad + c : c + pad;
      })
      .join('  ')
      .trimEnd();
  return cells.map(line).join('\n');
}

function visibleLength(s: string): number {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u001b\[[0-9;]*m/g, '').length;
}

/** ISO-8601 UTC without milliseconds (date only for midnight timestamps when `dateOnly`). */
export function formatTime(ms: number | null | undefined, dateOnly = false): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '-';
  const iso = new Date(ms).toISOString();
  if (dateOnly && iso.endsWith('T00:00:00.000Z')) return iso.slice(0, 10);
  return iso.replace('.000Z', 'Z');
}

/** A number with thousands separators. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * A spinner on stderr for interactive terminals; a no-op otherwise (cron, CI, --json, --quiet).
 * ora is loaded only when a spinner is actually drawn.
 */
export async function spinner(ctx: Context, text: string): Promise<{ update(text: string): void; stop(): void }> {
  if (!ctx.interactive) return { update() {}, stop() {} };
  const { default: ora } = await import('ora');
  const s = ora({ text, stream: process.stderr }).start();
  return { update: (t) => (s.text = t), stop: () => s.stop() };
}
