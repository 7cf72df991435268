/**
 * A real HTTP receiver for notification tests: node:http on 127.0.0.1, port 0, recording every request and
 * answering as the test's script says (a status, headers and body, or never).
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the receiver got it. */
export interface Received {
  method: string;
  /** The path and query as sent (`/bot123:AA/sendMessage`). */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** When it arrived (performance.now()). */
  at: number;
}

/** The answer to one request; `'hang'` never answers. */
export type Reply = { status: number; headers?: Record<string, string>; body?: string } | 'hang';

/** A running receiver. */
export interface Receiver {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  requests: Received[];
  close(): Promise<void>;
}

/** Start a receiver answering request i with `script(request, i)`. */
export async function startReceiver(script: (request: Received, index: number) => Reply = () => ({ status: 200, body: 'ok' })): Promise<Receiver> {
  const requests: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const received: Received = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: performance.now() };
      requests.push(received);
      const reply = script(received, requests.length - 1);
      if (reply === 'hang') return;
      res.writeHead(reply.status, reply.headers ?? {});
      res.end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
