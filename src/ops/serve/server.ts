/**
 * The HTTP server of `pulse serve` (node:http, no framework): read-only GET endpoints, an optional bearer token, and
 * a graceful stop. Routes are plain functions returning a status, a content type and a body; the server owns only
 * the protocol:
 * - with a token, every request needs `Authorization: Bearer <token>` (compared in constant time) or gets 401; the
 *   token is never echoed or logged;
 * - a method other than GET or HEAD gets 405 (with `Allow`), an unknown path 404, a failing route 500 with its
 *   one-line message (never a stack);
 * - `close()` stops accepting, lets the requests in flight finish, then drops idle keep-alive connections.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toError } from '../../core/errors.js';

/** A route's answer. */
export interface RouteResponse {
  status: number;
  contentType: string;
  body: string;
}

/** A GET endpoint. */
export type Route = () => Promise<RouteResponse>;

export interface ServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** When set, every request needs `Authorization: Bearer <token>`. */
  token?: string;
  routes: Readonly<Record<string, Route>>;
  /** Called with one line per failed route (a 500). */
  onError?: (path: string, message: string) => void;
}

/** A listening server. */
export interface RunningServer {
  /** The bound address (the port chosen when 0 was asked). */
  host: string;
  port: number;
  /** Requests answered so far. */
  requests(): number;
  /** Stop accepting, finish the requests in flight, close every connection. */
  close(): Promise<void>;
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Whether a request carries the token (both sides hashed first, so the comparison's time says nothing of length). */
export function authorized(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  return timingSafeEqual(digest(match ? match[1].trim() : ''), digest(token)) && match !== null;
}


const json = (status: number, doc: unknown): RouteResponse => ({ status, contentType: 'application/json; charset=utf-8', body: `${JSON.stringify(doc)}\n` });

/** Start listening (see the module note). */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  let served = 0;
  let closing = false;
  const send = (res: ServerResponse, r: RouteResponse, head: boolean, extra: Record<string, string> = {}): void => {
    // Once stopping, a keep-alive client is told to go, so its connection ends with this response.
    res.writeHead(r.status, { 'Content-Type': r.contentType, 'Content-Length': Buffer.byteLength(r.body), 'Cache-Control': 'no-store', ...(closing ? { Connection: 'close' } : {}), ...extra });
    res.end(head ? undefined : r.body);
  };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const head = req.method === 'HEAD';
    if (options.token !== undefined && !authorized(req.headers.authorization, options.token)) {
      send(res, json(401, { error: 'unauthorized: send Authorization: Bearer <token> (PULSE_SERVE_TOKEN)' }), head, { 'WWW-Authenticate': 'Bearer realm="pulse"' });
      return;
    }
    if (req.method !== 'GET' && !head) {
      send(res, json(405, { error: `method ${req.method} not allowed; the endpoints are read-only` }), false, { Allow: 'GET, HEAD' });
      return;
    }
    const path = new URL(req.url ?? '/', 'http://pulse').pathname;
    const route = Object.hasOwn(options.routes, path) ? options.routes[path] : undefined;
    if (!route) {
      send(res, json(404, { error: `no endpoint ${path}`, endpoints: Object.keys(options.routes) }), head);
      return;
    }
    try {
      send(res, await route(), head);
    } catch (err) {
      const message = toError(err).message;
      options.onError?.(path, message);
      send(res, json(500, { error: message }), head);
    }
  };
  const server = createServer((req, res) => {
    served++;
    // Drain a request body (none is expected) so the connection stays usable.
    req.resume();
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    host: address.address,
    port: address.port,
    requests: () => served,
    close: () =>
      new Promise<void>((resolve, reject) => {
        closing = true;
        server.close((err) => (err ? reject(err) : resolve()));
        // Idle keep-alive connections would hold close() open; busy ones close once their response is sent.
        server.closeIdleConnections();
      }),
  };
}
