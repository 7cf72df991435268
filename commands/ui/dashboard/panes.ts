/**
 * The dashboard's panes as lines of text: one list per pane, built from the snapshot, shared by the live terminal
 * dashboard and its plain-text form. Labels live here; the figures come from src/ops/dashboard.
 */
import type { DashboardSnapshot, EquityLine, LiveModel } from '../../../src/ops/dashboard/snapshot.js';
import { table } from '../output.js';
import { sparkline } from './sparkline.js';

/** How a line reads at a glance: coloured when colours are on, plain text otherwise. */
export type Tone = 'good' | 'bad' | 'warn' | 'dim' | 'plain';

export interface PaneLine {
  text: string;
  tone: Tone;
  /** A table's header: it stays in place while the pane's other lines scroll. */
  sticky?: boolean;
}

export type PaneKey = 'models' | 'predictions' | 'equity' | 'ab' | 'jobs' | 'drift' | 'health';

/** A pane: its title and how it draws a snapshot in `width` columns. */
export interface PaneSpec {
  key: PaneKey;
  title: string;
  /** A short summary shown beside the title, which stays in view while the pane scrolls. */
  note?(snapshot: DashboardSnapshot): string;
  lines(snapshot: DashboardSnapshot, width: number): PaneLine[];
}

/** `MM-DD HH:MM` (UTC): enough to place a recent event on a dashboard. */
export function shortTime(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '-';
  return new Date(ms).toISOString().slice(5, 16).replace('T', ' ');
}

const pct = (x: number | null, digits = 1) => (x === null ? '-' : `${(x * 100).toFixed(digits)}%`);
const signedPct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)}%`;
const num = (x: number | null) => (x === null ? '-' : Math.abs(x) >= 1000 || (x !== 0 && Math.abs(x) < 0.001) ? x.toExponential(2) : x.toPrecision(4));
const plain = (text: string): PaneLine => ({ text, tone: 'plain' });
const dim = (text: string): PaneLine => ({ text, tone: 'dim' });

/** An aligned table: the header dimmed, each row with its tone. */
function tableLines(headers: string[], rows: { cells: (string | number)[]; tone?: Tone }[], align?: ('l' | 'r')[]): PaneLine[] {
  const [head, ...body] = table(headers, rows.map((r) => r.cells.map(String)), align).split('\n');
  return [{ ...dim(head), sticky: true }, ...body.map((text, i) => ({ text, tone: rows[i].tone ?? 'plain' }))];
}

function modelLines(s: DashboardSnapshot): PaneLine[] {
  if (s.models.length === 0) return [dim('no active or shadow model (pulse train)')];
  const row = (m: LiveModel) => ({
    cells: [m.status, m.id, pct(m.hitRate), m.outcomes, m.predictions, `${m.metric} ${num(m.test)}/${num(m.naive)}`, shortTime(m.since), m.slot],
    tone: (m.status === 'active' ? 'good' : 'plain') as Tone,
  });
  return tableLines(['status', 'model', 'hit', 'outcomes', 'preds', 'test/naive', 'since', 'slot'], s.models.map(row), ['l', 'l', 'r', 'r', 'r', 'l', 'l', 'l']);
}

function predictionLines(s: DashboardSnapshot): PaneLine[] {
  if (s.predictions.length === 0) return [dim('no prediction yet (pulse predict)')];
  return tableLines(
    ['bar', 'signal', 'value', 'outcome', 'hit', 'model'],
    s.predictions.map((p) => ({
      cells: [shortTime(p.barTs), p.fallback ? `${p.signal}*` : p.signal, num(p.value), num(p.outcome), p.hit === null ? '-' : p.hit ? 'yes' : 'no', p.modelId],
      tone: p.hit === null ? 'plain' : p.hit ? 'good' : 'bad',
    })),
    ['l', 'l', 'r', 'r', 'l', 'l'],
  );
}

function equityLines(s: DashboardSnapshot, width: number): PaneLine[] {
  if (s.equity.length === 0) return [dim('no active model')];
  return s.equity.flatMap((e: EquityLine) => [
    { text: `${e.modelId}  ${signedPct(e.total)} over ${e.n} signals`, tone: e.n === 0 ? 'dim' : e.total >= 0 ? 'good' : 'bad' } as PaneLine,
    e.n === 0 ? dim('no outcome yet') : plain(sparkline(e.points, width)),
  ]);
}

function abLines(s: DashboardSnapshot): PaneLine[] {
  if (s.abTests.length === 0) return [dim('no running A/B test (pulse ab start)')];
  return s.abTests.flatMap((t) => {
    const arm = (name: string, a: typeof t.control) => plain(`${name} ${a.model}  served ${a.served}  hit ${pct(a.hitRate)}  return ${signedPct(a.totalReturn)}`);
    const decided = t.decision === 'control' || t.decision === 'challenger';
    return [
      { text: `#${t.id} ${t.slot}  ${t.decision}  n ${t.n}/${t.minN}  ${t.days.toFixed(1)}/${t.minDays} days  p ${num(t.pValue)}`, tone: (decided ? 'good' : 'plain') as Tone },
      arm('control   ', t.control),
      arm('challenger', t.challenger),
    ];
  });
}

function jobLines(s: DashboardSnapshot): PaneLine[] {
  const { recent } = s.jobs;
  if (recent.length === 0) return [dim('no job yet (pulse jobs add, pulse train)')];
  const tone = (status: string): Tone => (status === 'failed' ? 'bad' : status === 'completed' ? 'plain' : status === 'cancelled' ? 'dim' : 'warn');
  return tableLines(
    ['job', 'type', 'status', 'try', 'created', 'what'],
    recent.map((j) => ({ cells: [j.id, j.type, j.status, `${j.attempts}/${j.maxAttempts}`, shortTime(j.createdAt), j.what || '-'], tone: tone(j.status) })),
    ['r', 'l', 'l', 'r', 'l', 'l'],
  );
}

const jobCounts = (s: DashboardSnapshot) => `${s.jobs.counts.pending} pending, ${s.jobs.counts.running} running, ${s.jobs.counts.failed} failed`;

function driftLines(s: DashboardSnapshot): PaneLine[] {
  if (s.drift.length === 0) return [dim('no drift check yet (pulse drift-check)')];
  return tableLines(
    ['series', 'verdict', 'severity', 'drifted', 'checked'],
    s.drift.map((d) => ({
      cells: [`${d.symbol} ${d.interval}`, d.drifted ? 'DRIFT' : 'ok', d.severity, `${pct(d.driftedShare, 0)}/${pct(d.threshold, 0)}`, shortTime(d.checkedAt)],
      tone: d.drifted ? 'bad' : 'good',
    })),
  );
}

function healthLines(s: DashboardSnapshot): PaneLine[] {
  const h = s.health;
  if (!h) return [dim('no health run yet (pulse health)')];
  const tone = (state: string): Tone => (state === 'ok' ? 'good' : state === 'critical' ? 'bad' : 'warn');
  return [
    { text: `${h.status}  ${h.critical} critical, ${h.warnings} warnings, ${h.unknown} unknown  (${shortTime(h.checkedAt)})`, tone: tone(h.status) },
    ...h.problems.map((p) => ({ text: `${p.state} ${p.check}${p.subject ? ` ${p.subject}` : ''}: ${p.message}`, tone: tone(p.state) })),
  ];
}

/** The panes in focus order (tab moves through them in this order). */
export const PANES: readonly PaneSpec[] = [
  { key: 'models', title: 'Models', lines: modelLines },
  { key: 'predictions', title: 'Latest predictions', lines: predictionLines },
  { key: 'equity', title: 'Equity of active signals', lines: equityLines },
  { key: 'ab', title: 'A/B tests', lines: abLines },
  { key: 'jobs', title: 'Jobs', note: jobCounts, lines: jobLines },
  { key: 'drift', title: 'Drift', lines: driftLines },
  { key: 'health', title: 'Health', lines: healthLines },
];

/** The whole snapshot as plain text (no terminal, or a log): every pane, every line, `width` columns for charts. */
export function plainDashboard(s: DashboardSnapshot, width = 80): string {
  const header = `pulse dashboard  ${s.home}  at ${new Date(s.takenAt).toISOString().replace('.000Z', 'Z')}`;
  return [header, ...PANES.flatMap((p) => ['', `== ${p.title} ==${p.note ? ` ${p.note(s)}` : ''}`, ...p.lines(s, width).map((l) => l.text)])].join('\n');
}
