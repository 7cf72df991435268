/**
 * The live terminal dashboard (ink): the panes of ./panes.ts in a grid that fills the terminal, re-reading the
 * snapshot every `refreshMs`. Keys: q quits, tab / shift-tab move the focus (the focused pane has a double border,
 * cyan when colours are on), up / down (or k / j) scroll the focused pane, Ctrl-C interrupts.
 */
import { Box, Text, render, useApp, useInput, useStdout } from 'ink';
import { useEffect, useRef, useState } from 'react';
import type { DashboardSnapshot } from '../../../src/ops/dashboard/snapshot.js';
import { PANES, type PaneKey, type PaneLine, type PaneSpec, type Tone } from './panes.js';

/** How the dashboard ended. */
export type DashboardEnd = 'quit' | 'interrupted';

export interface DashboardProps {
  /** The snapshot drawn first (already read). */
  initial: DashboardSnapshot;
  /** Read a fresh snapshot. */
  read: () => Promise<DashboardSnapshot>;
  refreshMs: number;
  color: boolean;
  /** Called once, with how it ended, before the app exits. */
  onEnd?: (end: DashboardEnd) => void;
}

/** The grid, top to bottom: each row's panes, left to right. */
const GRID: readonly (readonly PaneKey[])[] = [['models'], ['predictions', 'equity'], ['ab', 'jobs'], ['drift', 'health']];
const SPEC = new Map(PANES.map((p) => [p.key, p]));

/** The smallest pane: its border, its title and one line. */
const MIN_PANE_HEIGHT = 4;

const TONE_COLOR: Record<Tone, string | undefined> = { good: 'green', bad: 'red', warn: 'yellow', dim: 'gray', plain: undefined };

/** Split `total` rows among `n` grid rows as evenly as possible, earlier rows taking the remainder. */
export function rowHeights(total: number, n: number): number[] {
  const base = Math.max(MIN_PANE_HEIGHT, Math.floor(total / n));
  const extra = Math.max(0, total - base * n);
  return Array.from({ length: n }, (_, i) => base + (i < extra ? 1 : 0));
}

/** Below this many rows (besides sticky ones) a scrolled pane spends none on saying what is above. */
const MIN_ROOM_ABOVE = 3;

/**
 * The lines that fit in `rows`, scrolled down by `offset` lines (sticky lines, a table's header, stay on top): a
 * first line says how many are above when scrolled, and a last line how many are below.
 */
export function fitLines(lines: readonly PaneLine[], rows: number, offset = 0): PaneLine[] {
  if (rows <= 0) return [];
  const sticky = lines.filter((l) => l.sticky).slice(0, rows);
  const body = lines.filter((l) => !l.sticky);
  const room = rows - sticky.length;
  const skip = Math.max(0, Math.min(offset, maxOffset(lines, rows)));
  if (body.length <= room) return [...sticky, ...body];
  const above: PaneLine[] = skip > 0 && room >= MIN_ROOM_ABOVE ? [{ text: `… ${skip} above`, tone: 'dim' }] : [];
  const fit = Math.max(0, room - above.length);
  const shown = body.slice(skip, skip + (skip + fit >= body.length ? fit : fit - 1));
  const below = body.length - skip - shown.length;
  return [...sticky, ...above, ...shown, ...(below > 0 ? [{ text: `… ${below} more`, tone: 'dim' as const }] : [])].slice(0, rows);
}

/** How far the lines can scroll in `rows`: until the last line shows. */
export function maxOffset(lines: readonly PaneLine[], rows: number): number {
  const body = lines.filter((l) => !l.sticky).length;
  const room = rows - lines.filter((l) => l.sticky).length;
  // scrolled, one row says what is above (when there is room for it)
  return body <= room ? 0 : Math.max(0, body - (room >= MIN_ROOM_ABOVE ? room - 1 : room));
}

/** A pane's inside: a border column and a padding column on each side; a border row above and below, and the title. */
const innerSize = (width: number, height: number) => ({ columns: Math.max(1, width - 4), rows: Math.max(0, height - 3) });

function Pane(props: { spec: PaneSpec; snapshot: DashboardSnapshot; width: number; height: number; offset: number; focused: boolean; color: boolean }) {
  const { spec, snapshot, width, height, offset, focused, color } = props;
  const inner = innerSize(width, height);
  const lines = fitLines(spec.lines(snapshot, inner.columns), inner.rows, offset);
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle={focused ? 'double' : 'single'} borderColor={color && focused ? 'cyan' : undefined} paddingX={1}>
      <Text bold wrap="truncate-end" color={color && focused ? 'cyan' : undefined}>
        {focused ? `▸ ${spec.title}` : spec.title}
        {spec.note ? <Text bold={false}>{`  ${spec.note(snapshot)}`}</Text> : null}
      </Text>
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate-end" color={color ? TONE_COLOR[line.tone] : undefined} dimColor={color && line.tone === 'dim'}>
          {line.text}
        </Text>
      ))}
    </Box>
  );
}

/** Terminal size, following resizes (80x24 when the stream does not say). */
function useTerminalSize(): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = () => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}

/** The dashboard app (see the module note). */
export function Dashboard(props: DashboardProps) {
  const { exit } = useApp();
  const { columns, rows } = useTerminalSize();
  const [snapshot, setSnapshot] = useState(props.initial);
  const [error, setError] = useState<string | null>(null);
  const [focus, setFocus] = useState(0);
  const [offsets, setOffsets] = useState<Partial<Record<PaneKey, number>>>({});
  const reading = useRef(false);

  useEffect(() => {
    let live = true;
    const timer = setInterval(() => {
      if (reading.current) return; // a slow read is still running: skip this tick rather than pile reads up
      reading.current = true;
      props
        .read()
        .then((s) => {
          if (!live) return;
          setSnapshot(s);
          setError(null);
        })
        .catch((err: unknown) => live && setError(err instanceof Error ? err.message : String(err)))
        .finally(() => (reading.current = false));
    }, props.refreshMs);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [props.read, props.refreshMs]);

  const end = (how: DashboardEnd) => {
    props.onEnd?.(how);
    exit();
  };
  const focusedKey = PANES[focus].key;
  const heights = rowHeights(rows - 1, GRID.length);
  const sizes = new Map(
    GRID.flatMap((keys, r) => keys.map((k, i) => [k, innerSize(keys.length === 1 ? columns : i === 0 ? Math.floor(columns / 2) : columns - Math.floor(columns / 2), heights[r])] as const)),
  );
  const scroll = (by: number) => {
    const size = sizes.get(focusedKey)!;
    const limit = maxOffset(SPEC.get(focusedKey)!.lines(snapshot, size.columns), size.rows);
    setOffsets((o) => ({ ...o, [focusedKey]: Math.max(0, Math.min(limit, (o[focusedKey] ?? 0) + by)) }));
  };
  useInput((input, key) => {
    if (input === 'q') end('quit');
    else if (key.ctrl && input === 'c') end('interrupted');
    else if (key.tab) setFocus((f) => (f + (key.shift ? PANES.length - 1 : 1)) % PANES.length);
    else if (key.downArrow || input === 'j') scroll(1);
    else if (key.upArrow || input === 'k') scroll(-1);
  });

  const header = `pulse dashboard  ${snapshot.home}  ${new Date(snapshot.takenAt).toISOString().slice(11, 19)} UTC  every ${props.refreshMs / 1000}s  q quit · tab focus · ↑↓ scroll`;
  return (
    <Box flexDirection="column" width={columns}>
      <Text wrap="truncate-end" bold={!error} color={props.color && error ? 'red' : undefined}>
        {error ? `refresh failed: ${error}` : header}
      </Text>
      {GRID.map((keys, r) => {
        const widths = keys.length === 1 ? [columns] : [Math.floor(columns / 2), columns - Math.floor(columns / 2)];
        return (
          <Box key={keys.join()} flexDirection="row" height={heights[r]}>
            {keys.map((k, i) => (
              <Pane key={k} spec={SPEC.get(k)!} snapshot={snapshot} width={widths[i]} height={heights[r]} offset={offsets[k] ?? 0} focused={k === focusedKey} color={props.color} />
            ))}
          </Box>
        );
      })}
    </Box>
  );
}

export interface RunDashboardInput extends Omit<DashboardProps, 'onEnd'> {
  stdout: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
  /** Aborted on SIGINT/SIGTERM: the dashboard closes. */
  signal: AbortSignal;
}

/** Draw the dashboard until q, Ctrl-C or the signal; how it ended. */
export async function runDashboard(input: RunDashboardInput): Promise<DashboardEnd> {
  const { stdout, stdin, signal, ...props } = input;
  let ended: DashboardEnd = 'quit';
  const app = render(<Dashboard {...props} onEnd={(how) => (ended = how)} />, { stdout, stdin, exitOnCtrlC: false, patchConsole: false });
  const onAbort = () => {
    ended = 'interrupted';
    app.unmount();
  };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await app.waitUntilExit();
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  return ended;
}
