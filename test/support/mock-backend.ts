// A small real node:http back end for endpoint tests (127.0.0.1, port 0): the services the WSO2 MI docs' examples
// call (the quick start's two hospitals, the iterate sample's JSON echo, a stock quote service), plus an echo, a
// status route, a route that never answers and one that drops the connection. Every request is recorded.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { refusedPort } from './refused-port.js';

export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Behaviour = 'ok' | 'reset' | 'slow';

export interface MockBackend {
  url: string;
  /** Makes a path (exact, without query) answer as `behaviour` from now on: 'ok' echoes, 'reset' drops the connection, 'slow' never answers. */
  behave(path: string, behaviour: Behaviour): void;
  /** Sockets open to the back end now. */
  openSockets(): number;
  /** Resolves when no socket is open to the back end. */
  whenNoSockets(): Promise<void>;
  /** Requests in arrival order. */
  seen: SeenRequest[];
  /** Requests whose path starts with `prefix`. */
  hits(prefix: string): SeenRequest[];
  close(): Promise<void>;
}

const GRAND_OAK = [
  { name: 'John Mathew', time: '03:30 PM', hospital: 'Grand Oak' },
  { name: 'Allan Silvester', time: '04:30 PM', hospital: 'Grand Oak' },
];
const PINE_VALLEY = [
  { name: 'John Mathew', time: '07:30 AM', hospital: 'pineValley' },
  { name: 'Roma Katherine', time: '04:30 PM', hospital: 'pineValley' },
];

function json(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}

export async function startMockBackend(): Promise<MockBackend> {
  const seen: SeenRequest[] = [];
  const held: ServerResponse[] = [];
  const behaviours = new Map<string, Behaviour>();
  const route = (req: IncomingMessage, res: ServerResponse, body: string): void => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    const behaviour = behaviours.get(path);
    if (behaviour === 'reset') {
      req.socket.destroy();
      return;
    }
    if (behaviour === 'slow') {
      held.push(res);
      return;
    }
    const parsed = (): unknown => {
      try {
        return JSON.parse(body || 'null');
      } catch {
        return body;
      }
    };
    if (path.startsWith('/grandOak/doctors/')) {
      // The quick start's Grand Oak service: GET /grandOak/doctors/<type>
      return json(res, 200, { doctors: { doctor: decodeURIComponent(path.slice(18)) === 'Ophthalmologist' ? GRAND_OAK : [] } });
    }
    if (path === '/pineValley/doctors') {
      // The quick start's Pine Valley service: POST {"doctorType": "..."}
      const type = (parsed() as { doctorType?: string } | null)?.doctorType;
      return json(res, 200, { doctors: { doctor: type === 'Ophthalmologist' ? PINE_VALLEY : [] } });
    }
    if (path === '/iteratesample/echojson' || path === '/echo' || path === '/echoString') {
      const type = String(req.headers['content-type'] ?? '');
      if (/xml/.test(type)) {
        // An XML body is answered as it came, in its own type.
        res.writeHead(200, { 'content-type': type });
        return void res.end(body);
      }
      return json(res, 200, parsed());
    }
    if (path.startsWith('/PizzaShopServlet/')) {
      // The HTTP endpoint example's pizza service: answers with what it was asked.
      return json(res, 200, { path, category: url.searchParams.get('category'), type: url.searchParams.get('type') });
    }
    if (path === '/myendpoint' || path === '/foo' || path === '/bar' || path.startsWith('/services/LBService1')) return json(res, 200, { path, method: req.method });
    if (path.startsWith('/services/SimpleStockQuoteService')) {
      return json(res, 200, { getQuoteResponse: { symbol: 'WSO2', last: 72.5, request: parsed() } });
    }
    if (path.startsWith('/status/')) return json(res, Number(path.slice(8)) || 500, { status: Number(path.slice(8)) });
    if (path === '/reset') {
      req.socket.destroy(); // no answer: 101505
      return;
    }
    if (path === '/slow') {
      held.push(res); // never answered: the endpoint's timeout ends the call
      return;
    }
    res.writeHead(404, { 'content-length': '0' }).end();
  };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      seen.push({ method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body });
      route(req, res, body);
    });
  });
  // Idle keep-alive sockets stay open until the client closes them (node's default would close them after 5 s), so a
  // test can see whether the runtime closes its connections.
  server.keepAliveTimeout = 600_000;
  const sockets = new Set<import('node:net').Socket>();
  const idle: (() => void)[] = [];
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      if (sockets.size === 0) for (const f of idle.splice(0)) f();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    behave: (path, behaviour) => void behaviours.set(path, behaviour),
    openSockets: () => sockets.size,
    whenNoSockets: () => (sockets.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => idle.push(resolve))),
    seen,
    hits: (prefix) => seen.filter((r) => r.path.startsWith(prefix)),
    async close() {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A URL on which nothing listens: connecting is refused (refused-port.ts). */
export async function refusedUrl(): Promise<string> {
  return `http://127.0.0.1:${await refusedPort()}`;
}
