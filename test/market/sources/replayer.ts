/**
 * Replays recorded HTTP exchanges as an `HttpFetch`, so source tests run offline against real response shapes.
 *
 * A recording is the JSON shape written by fetch-mock-cache (used for yahoo-finance2's own fixtures):
 * `{ request: { url }, response: { status, statusText?, headers?, bodyJson? | body? } }`. A route matches a
 * request by URL path and by the query parameters named in `keys` (other parameters may differ, e.g. a
 * recording made with `includePrePost=true`). A route may hold several responses, served in order, the last
 * one repeating: that is how tests script "503, then 200". The Yahoo cookie/crumb endpoints are answered too,
 * in case a library version starts asking for them; tests assert which URLs were really called.
 */
import { readFileSync } from 'node:fs';
import type { HttpFetch } from '../../../src/market/sources/source.js';

/** One recorded HTTP response. */
export interface RecordedResponse {
  status: number;
  statusText?: string;
  headers?: Record<string, string | string[]>;
  bodyJson?: unknown;
  body?: string;
}

/** One recorded exchange (fetch-mock-cache format). */
export interface Recording {
  request: { url: string; method?: string };
  response: RecordedResponse;
}

/** A route: the recorded URL, the query keys that must match, and the responses to serve in order. */
export interface Route {
  url: string;
  keys: readonly string[];
  responses: RecordedResponse[];
}

/** Read a recording file. */
export function loadRecording(path: string): Recording {
  return JSON.parse(readFileSync(path, 'utf8')) as Recording;
}

/** A route from a recording. */
export function routeOf(recording: Recording, keys: readonly string[]): Route {
  return { url: recording.request.url, keys, responses: [recording.response] };
}

/** A replaying `HttpFetch` plus the log of URLs it was asked for. Unmatched URLs reject like a network error. */
export function createReplayer(routes: Route[]): { fetch: HttpFetch; calls: string[] } {
  const calls: string[] = [];
  const served = new Map<Route, number>();
  const fetch: HttpFetch = async (input) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    calls.push(url);
    const session = yahooSessionResponse(url);
    if (session) return session;
    const route = routes.find((r) => matches(r, url));
    if (!route) throw new TypeError(`fetch failed: no recording for ${url}`);
    const n = served.get(route) ?? 0;
    served.set(route, n + 1);
    return toResponse(route.responses[Math.min(n, route.responses.length - 1)]);
  };
  return { fetch, calls };
}

function matches(route: Route, url: string): boolean {
  const want = new URL(route.url);
  const got = new URL(url);
  if (want.pathname !== got.pathname) return false;
  return route.keys.every((k) => want.searchParams.get(k) === got.searchParams.get(k));
}

/** Build a `Response` from a recorded one (header arrays become repeated headers). */
export function toResponse(r: RecordedResponse): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(r.headers ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const body = r.bodyJson !== undefined ? JSON.stringify(r.bodyJson) : (r.body ?? '');
  return new Response(body, { status: r.status, statusText: r.statusText ?? '', headers });
}

/** Answers to Yahoo's cookie and crumb requests (finance.yahoo.com page, /v1/test/getcrumb). */
function yahooSessionResponse(url: string): Response | undefined {
  const u = new URL(url);
  if (u.hostname === 'finance.yahoo.com' || u.hostname === 'fc.yahoo.com') {
    return new Response('<!doctype html><html><head><title>Yahoo Finance</title></head></html>', {
      status: 200,
      headers: { 'content-type': 'text/html', 'set-cookie': 'A3=d=replayed&S=replayed; Max-Age=31557600; Domain=.yahoo.com; Path=/; Secure' },
    });
  }
  if (u.pathname === '/v1/test/getcrumb') return new Response('replayedCrumb', { status: 200, headers: { 'content-type': 'text/plain' } });
  return undefined;
}

/** A fetch that never answers until its signal aborts (for timeout tests). */
export const hangingFetch: HttpFetch = (_input, init) =>
  new Promise<Response>((_, reject) => {
    init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')), { once: true });
  });

/** A `Sleep` that returns at once and records the requested waits. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    sleep: async (ms: number) => {
      waits.push(ms);
    },
  };
}
