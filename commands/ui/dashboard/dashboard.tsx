/**
 * The live terminal dashboard (ink): the panes of ./panes.ts in a grid that fills the terminal, re-reading the
 * snapshot every `refreshMs`. Keys: q quits, tab / shift-tab move the focus (the focused pane has a double border,
 * cyan when colours are on), Ctrl-C interrupts.
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

/** The lines that fit in `rows`, the last one saying how many were left out. */
export function fitLines(lines: readonly PaneLine[], rows: number): PaneLine[] {
  if (lines.length <= rows) return [...lines];
  if (rows <= 0) return [];
  const kept = lines.slice(0, rows - 1);
  return [...kept, { text: `… ${lines.length - kept.length} more`, tone: 'dim' }];
}

function Pane(props: { spec: PaneSpec; snapshot: DashboardSnapshot; width: number; height: number; focused: boolean; color: boolean }) {
  const { spec, snapshot, width, height, focused, color } = props;
  // Inside: a border column and a padding column on each side; a border row above and below, and the title.
  const inner = Math.max(1, width - 4);
  const lines = fitLines(spec.lines(snapshot, inner), Math.max(0, height - 3));
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle={focused ? 'double' : 'single'} borderColor={color && focused ? 'cyan' : undefined} paddingX={1}>
      <Text bold wrap="truncate-end" color={color && focused ? 'cyan' : undefined}>
        {focused ? `▸ ${spec.title}` : spec.title}
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
  useInput((input, key) => {
    if (input === 'q') end('quit');
    else if (key.ctrl && input === 'c') end('interrupted');
    else if (key.tab) setFocus((f) => (f + (key.shift ? PANES.length - 1 : 1)) % PANES.length);
  });

  const focusedKey = PANES[focus].key;
  const heights = rowHeights(rows - 1, GRID.length);
  const header = `pulse dashboard  ${snapshot.home}  ${new Date(snapshot.takenAt).toISOString().slice(11, 19)} UTC  every ${props.refreshMs / 1000}s  q quit · tab focus`;
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
              <Pane key={k} spec={SPEC.get(k)!} snapshot={snapshot} width={widths[i]} height={heights[r]} focused={k === focusedKey} color={props.color} />
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
