import { EventEmitter } from 'node:events';
import chalk from 'chalk';
import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { Dashboard, fitLines, maxOffset, rowHeights, runDashboard, type DashboardEnd } from '../../../commands/ui/dashboard/dashboard.js';
import { plainDashboard, type PaneLine } from '../../../commands/ui/dashboard/panes.js';
import { sparkline } from '../../../commands/ui/dashboard/sparkline.js';
import type { DashboardSnapshot } from '../../../src/ops/dashboard/snapshot.js';

// ink reads CI on import and then draws only the last frame; these tests drive a terminal (the command clears it too).
vi.hoisted(() => {
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
});

const T0 = Date.UTC(2024, 0, 2, 9, 30);
const HOUR = 3_600_000;
const slot = 'ACME|1d|return|h1';

/** A fixed snapshot with something in every pane. */
function snapshot(over: Partial<DashboardSnapshot> = {}): DashboardSnapshot {
  return {
    takenAt: T0,
    home: '/srv/pulse',
    models: [
      { id: 'ridge-ACME-1d-v3', slot, status: 'active', since: T0 - 24 * HOUR, family: 'ridge', symbols: ['ACME'], interval: '1d', horizon: 1, metric: 'rmse', test: 0.0123, naive: 0.0131, predictions: 40, outcomes: 38, hitRate: 0.5789 },
      { id: 'lgbm-ACME-1d-v4', slot, status: 'shadow', since: T0 - 2 * HOUR, family: 'lightgbm', symbols: ['ACME'], interval: '1d', horizon: 1, metric: 'rmse', test: 0.0119, naive: 0.0131, predictions: 12, outcomes: 10, hitRate: 0.4 },
    ],
    abTests: [
      { id: 7, slot, split: 30, days: 2.5, n: 12, minN: 100, minDays: 7, decision: 'collecting', pValue: null, control: { model: 'ridge-ACME-1d-v3', served: 9, hitRate: 0.6, totalReturn: 0.012 }, challenger: { model: 'lgbm-ACME-1d-v4', served: 3, hitRate: null, totalReturn: 0 } },
    ],
    jobs: {
      counts: { pending: 2, running: 1, completed: 5, failed: 1, cancelled: 0, interrupted: 0 },
      recent: [{ id: 12, type: 'retrain', trigger: 'drift', status: 'failed', priority: 0, attempts: 3, maxAttempts: 3, what: slot, createdAt: T0 - HOUR, runAfter: null, durationMs: 900, error: 'no bars' }],
    },
    predictions: [{ modelId: 'ridge-ACME-1d-v3', symbol: 'ACME', interval: '1d', barTs: T0 - 9.5 * HOUR, value: 0.0021, signal: 'long', outcome: null, hit: null, fallback: false, createdAt: T0 }],
    drift: [{ symbol: 'ACME', interval: '1d', modelId: null, drifted: true, severity: 'high', driftedShare: 0.6, threshold: 0.5, checkedAt: T0 - HOUR }],
    health: { checkedAt: T0 - HOUR, status: 'warn', critical: 0, warnings: 1, unknown: 0, problems: [{ check: 'disk', subject: null, state: 'warn', message: '12% free' }] },
    equity: [{ modelId: 'ridge-ACME-1d-v3', slot, n: 5, points: [0, 0.02, 0.01, 0.04, 0.07], total: 0.07 }],
    ...over,
  };
}

const never = () => new Promise<DashboardSnapshot>(() => {});
const tick = (ms = 30) => new Promise((r) => setTimeout(r, ms));
/** The line of a frame that holds `text`. */
const lineOf = (frame: string, text: string) => frame.split('\n').find((l) => l.includes(text)) ?? '';

describe('sparkline', () => {
  it('maps the lowest value to ▁ and the highest to █, in at most `width` characters', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8)).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([3, 1, 2], 10)).toBe('█▁▅');
    // 8 points in 4 characters: each shows the last point of its pair
    expect(sparkline([0, 9, 1, 2, 3, 4, 5, 7], 4)).toBe('█▁▃▆');
    expect(sparkline([2, 2, 2], 3)).toBe('▄▄▄');
    expect(sparkline([], 10)).toBe('');
    expect(sparkline([1, NaN, 2], 5)).toBe('▁█');
  });
});

describe('layout helpers', () => {
  it('splits the rows among the grid rows, never below a pane that shows one line', () => {
    expect(rowHeights(23, 4)).toEqual([6, 6, 6, 5]);
    expect(rowHeights(40, 4)).toEqual([10, 10, 10, 10]);
    expect(rowHeights(8, 4)).toEqual([4, 4, 4, 4]);
  });

  it('keeps the lines that fit and says how many were left out', () => {
    const lines = Array.from({ length: 5 }, (_, i) => ({ text: `l${i}`, tone: 'plain' as const }));
    expect(fitLines(lines, 5).map((l) => l.text)).toEqual(['l0', 'l1', 'l2', 'l3', 'l4']);
    expect(fitLines(lines, 3).map((l) => l.text)).toEqual(['l0', 'l1', '… 3 more']);
    expect(fitLines(lines, 0)).toEqual([]);
  });

  it('scrolls by an offset, says what is above and below, keeps a table header on top, and stops at the last line', () => {
    const lines = Array.from({ length: 5 }, (_, i) => ({ text: `l${i}`, tone: 'plain' as const }));
    const text = (x: PaneLine[]) => x.map((l) => l.text);
    expect(text(fitLines(lines, 3, 1))).toEqual(['… 1 above', 'l1', '… 3 more']);
    expect(maxOffset(lines, 3)).toBe(3);
    expect(text(fitLines(lines, 3, 3))).toEqual(['… 3 above', 'l3', 'l4']);
    expect(text(fitLines(lines, 3, 99))).toEqual(['… 3 above', 'l3', 'l4']);
    const table = [{ text: 'head', tone: 'dim' as const, sticky: true }, ...lines];
    expect(text(fitLines(table, 4))).toEqual(['head', 'l0', 'l1', '… 3 more']);
    expect(text(fitLines(table, 4, 1))).toEqual(['head', '… 1 above', 'l1', '… 3 more']);
    expect(maxOffset(lines, 5)).toBe(0);
    // two rows: no room to say what is above
    expect(maxOffset(lines, 2)).toBe(3);
    expect(text(fitLines(lines, 2, 1))).toEqual(['l1', '… 3 more']);
    expect(text(fitLines(lines, 2, 3))).toEqual(['l3', 'l4']);
  });
});

describe('Dashboard', () => {
  it('shows every pane of the snapshot, the models pane focused first', () => {
    const ui = render(createElement(Dashboard, { initial: snapshot(), read: never, refreshMs: 60_000, color: false }));
    const frame = ui.lastFrame()!;
    for (const title of ['Models', 'Latest predictions', 'Equity of active signals', 'A/B tests', 'Jobs', 'Drift', 'Health']) expect(frame).toContain(title);
    expect(lineOf(frame, 'ridge-ACME-1d-v3  57.9%')).toMatch(/active\s+ridge-ACME-1d-v3\s+57\.9%\s+38\s+40\s+rmse 0\.01230\/0\.01310/);
    expect(lineOf(frame, 'shadow')).toMatch(/shadow\s+lgbm-ACME-1d-v4\s+40\.0%\s+10\s+12/);
    expect(frame).toContain('ridge-ACME-1d-v3  +7.00% over 5 signals');
    expect(frame).toContain('▁▃▂▅█');
    expect(frame).toContain('#7 ACME|1d|return|h1  collecting  n 12/100');
    expect(lineOf(frame, '12  retrain')).toMatch(/12\s+retrain\s+failed\s+3\/3/);
    expect(frame).toContain('Jobs  2 pending, 1 running, 1 failed');
    expect(lineOf(frame, 'ACME 1d  DRIFT')).toMatch(/DRIFT\s+high\s+60%\/50%/);
    expect(frame).toContain('warn disk: 12% free');
    expect(lineOf(frame, '01-02 00:00  long')).toMatch(/long\s+0\.002100/);
    expect(frame).toContain('pulse dashboard  /srv/pulse  09:30:00 UTC');
    expect(frame).toContain('▸ Models');
    // the focused pane's border is double, the others' single
    expect(lineOf(frame, '▸ Models').startsWith('║')).toBe(true);
    expect(lineOf(frame, 'Jobs').includes('│ Jobs')).toBe(true);
    // no colours were asked for
    expect(frame).not.toMatch(/\u001b\[3\dm/);
    ui.unmount();
  });

  it('fits the terminal: no line wider than it, as many lines as it has rows', () => {
    const many = snapshot({ jobs: { ...snapshot().jobs, recent: Array.from({ length: 30 }, (_, i) => ({ ...snapshot().jobs.recent[0], id: 100 - i })) } });
    const ui = render(createElement(Dashboard, { initial: many, read: never, refreshMs: 60_000, color: false }));
    const lines = ui.lastFrame()!.split('\n');
    expect(lines).toHaveLength(24);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(100);
    expect(ui.lastFrame()).toMatch(/… 2\d more/);
    ui.unmount();
  });

  it('moves the focus with tab (and back with shift-tab), highlighting the focused pane', async () => {
    const ui = render(createElement(Dashboard, { initial: snapshot(), read: never, refreshMs: 60_000, color: false }));
    await tick();
    ui.stdin.write('\t');
    await tick();
    let frame = ui.lastFrame()!;
    expect(frame).toContain('▸ Latest predictions');
    expect(frame).not.toContain('▸ Models');
    expect(lineOf(frame, '▸ Latest predictions').startsWith('║')).toBe(true);
    expect(lineOf(frame, 'Models').startsWith('│')).toBe(true);
    for (let i = 0; i < 5; i++) {
      ui.stdin.write('\t');
      await tick();
    }
    expect(ui.lastFrame()).toContain('▸ Health');
    ui.stdin.write('\t');
    await tick();
    expect(ui.lastFrame()).toContain('▸ Models');
    ui.stdin.write('\u001b[Z'); // shift-tab
    await tick();
    frame = ui.lastFrame()!;
    expect(frame).toContain('▸ Health');
    ui.unmount();
  });

  it('scrolls the focused pane with the arrow keys (and j / k)', async () => {
    const many = snapshot({ jobs: { ...snapshot().jobs, recent: Array.from({ length: 30 }, (_, i) => ({ ...snapshot().jobs.recent[0], id: 100 - i })) } });
    const ui = render(createElement(Dashboard, { initial: many, read: never, refreshMs: 60_000, color: false }));
    await tick();
    for (let i = 0; i < 4; i++) {
      ui.stdin.write('\t');
      await tick();
    }
    expect(ui.lastFrame()).toContain('▸ Jobs');
    expect(lineOf(ui.lastFrame()!, 'job  type')).not.toBe('');
    expect(ui.lastFrame()).toMatch(/ 100 {2}retrain/);
    ui.stdin.write('\u001b[B'); // down
    await tick();
    ui.stdin.write('j');
    await tick();
    // three rows: the header stays, and the room goes to the jobs rather than to what is above
    let frame = ui.lastFrame()!;
    expect(lineOf(frame, 'job  type')).not.toBe('');
    expect(frame).not.toMatch(/ 100 {2}retrain/);
    expect(frame).toMatch(/ {2}98 {2}retrain/);
    ui.stdin.write('\u001b[A'); // up
    await tick();
    ui.stdin.write('k');
    await tick();
    frame = ui.lastFrame()!;
    expect(frame).not.toContain('above');
    expect(frame).toMatch(/ 100 {2}retrain/);
    ui.unmount();
  });

  it('colours the focused border and the lines by tone only when colours are on', async () => {
    // ink paints through chalk, which paints nothing when the test's own output is not a terminal
    const level = chalk.level;
    chalk.level = 1;
    try {
      const ui = render(createElement(Dashboard, { initial: snapshot(), read: never, refreshMs: 60_000, color: true }));
      const frame = ui.lastFrame()!;
      expect(lineOf(frame, '▸ Models')).toMatch(/^\u001b\[36m║/);
      expect(lineOf(frame, 'active')).toContain('\u001b[32mactive');
      expect(lineOf(frame, 'ACME 1d  DRIFT')).toContain('\u001b[31mACME 1d');
      ui.unmount();
      const plain = render(createElement(Dashboard, { initial: snapshot(), read: never, refreshMs: 60_000, color: false }));
      expect(plain.lastFrame()).not.toMatch(/\u001b\[3\dm/);
      plain.unmount();
    } finally {
      chalk.level = level;
    }
  });

  it('re-reads the snapshot every refresh', async () => {
    let reads = 0;
    const read = async () => {
      reads++;
      return snapshot({ takenAt: T0 + reads * 1000, models: [{ ...snapshot().models[0], id: `ridge-ACME-1d-v${10 + reads}` }] });
    };
    const ui = render(createElement(Dashboard, { initial: snapshot(), read, refreshMs: 40, color: false }));
    for (let i = 0; i < 50 && reads < 2; i++) await tick(20);
    await tick(20);
    expect(reads).toBeGreaterThanOrEqual(2);
    expect(ui.lastFrame()).toMatch(/ridge-ACME-1d-v1[1-9]/);
    expect(ui.lastFrame()).not.toContain('shadow');
    ui.unmount();
  });

  it('shows a failed refresh in the header and keeps the last snapshot', async () => {
    const ui = render(createElement(Dashboard, { initial: snapshot(), read: () => Promise.reject(new Error('database is locked')), refreshMs: 30, color: false }));
    for (let i = 0; i < 50 && !ui.lastFrame()!.includes('refresh failed'); i++) await tick(20);
    expect(ui.lastFrame()).toContain('refresh failed: database is locked');
    expect(ui.lastFrame()).toContain('ridge-ACME-1d-v3');
    ui.unmount();
  });

  it('ends on q (quit) and on Ctrl-C (interrupted)', async () => {
    for (const [key, want] of [['q', 'quit'], ['\u0003', 'interrupted']] as const) {
      const ends: DashboardEnd[] = [];
      const ui = render(createElement(Dashboard, { initial: snapshot(), read: never, refreshMs: 60_000, color: false, onEnd: (e) => ends.push(e) }));
      await tick();
      ui.stdin.write('x');
      await tick();
      expect(ends).toEqual([]);
      ui.stdin.write(key);
      await tick();
      expect(ends).toEqual([want]);
      ui.unmount();
    }
  });
});

/** A terminal of a given size that keeps what was written (the frames, with their cursor movements). */
class Terminal extends EventEmitter {
  isTTY = true;
  written = '';
  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    super();
  }
  write = (s: string) => {
    this.written += s;
    return true;
  };
}

/** Keys typed into the dashboard. */
class Keyboard extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  type(s: string) {
    this.data = s;
    this.emit('readable');
  }
  read = () => {
    const d = this.data;
    this.data = null;
    return d;
  };
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

// eslint-disable-next-line no-control-regex
const visible = (s: string) => s.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');

describe('runDashboard', () => {
  it('draws within 80x24 and returns quit on q', async () => {
    const term = new Terminal(80, 24);
    const keys = new Keyboard();
    const done = runDashboard({ initial: snapshot(), read: never, refreshMs: 60_000, color: false, stdout: term as unknown as NodeJS.WriteStream, stdin: keys as unknown as NodeJS.ReadStream, signal: new AbortController().signal });
    await tick(100);
    const lines = visible(term.written).split('\n').filter((l) => l.length > 0);
    const frame = lines.slice(-24);
    expect(frame[0]).toContain('pulse dashboard');
    for (const l of frame) expect([...l].length).toBeLessThanOrEqual(80);
    expect(frame.join('\n')).toContain('ridge-ACME-1d-v3');
    keys.type('q');
    await expect(done).resolves.toBe('quit');
  });

  it('returns interrupted when its signal aborts', async () => {
    const controller = new AbortController();
    const done = runDashboard({ initial: snapshot(), read: never, refreshMs: 60_000, color: false, stdout: new Terminal(80, 24) as unknown as NodeJS.WriteStream, stdin: new Keyboard() as unknown as NodeJS.ReadStream, signal: controller.signal });
    await tick(50);
    controller.abort();
    await expect(done).resolves.toBe('interrupted');
  });
});

describe('plainDashboard', () => {
  it('prints every pane and every line as plain text', () => {
    const text = plainDashboard(snapshot(), 80);
    expect(text.split('\n')[0]).toBe('pulse dashboard  /srv/pulse  at 2024-01-02T09:30:00Z');
    expect(text).toContain('== Models ==');
    expect(text).toContain('== Health ==');
    expect(text).toContain('ridge-ACME-1d-v3  +7.00% over 5 signals');
    expect(text).toContain('▁▃▂▅█');
    expect(text).not.toMatch(/\u001b/);
  });
});
