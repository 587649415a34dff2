// header-views.ts: undici's array of header views, into the socket chunk the headers came in, is emptied once the
// headers were read, so that an old array cannot keep that chunk from dying young. Real undici, a real server.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request, type Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { releaseHeaderViews } from '../../src/http/header-views.js';

let server: Server;
let url: string;
const agent = new Agent({ connections: 1 });

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'x-total-count': '2' });
    res.end('{"result":[{"sys_id":"a"},{"sys_id":"b"}]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await agent.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** An interceptor below the releaser: sees undici's raw header array before and after the layers above read it. */
function watchRawHeaders(seen: Array<{ before: number; after: number }>): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (options, handler) =>
    dispatch(options, {
      onRequestStart: (controller, context) => handler.onRequestStart?.(controller, context),
      onResponseStart: (controller, statusCode, headers, statusMessage) => {
        const raw = (controller as { rawHeaders?: unknown[] }).rawHeaders ?? [];
        const before = raw.length;
        handler.onResponseStart?.(controller, statusCode, headers, statusMessage);
        seen.push({ before, after: raw.length });
      },
      onResponseData: (controller, chunk) => handler.onResponseData?.(controller, chunk),
      onResponseEnd: (controller, trailers) => handler.onResponseEnd?.(controller, trailers),
      onResponseError: (controller, error) => handler.onResponseError?.(controller, error),
    });
}

describe('header views', () => {
  it("empties undici's raw header array once the response's headers were read, on every response of a keep-alive connection", async () => {
    const seen: Array<{ before: number; after: number }> = [];
    const dispatcher = agent.compose(watchRawHeaders(seen), releaseHeaderViews);
    for (let i = 0; i < 3; i++) {
      const res = await request(`${url}/api/now/table/incident`, { dispatcher });
      // The response is whole for the caller: status, parsed headers and body.
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-total-count']).toBe('2');
      expect(await res.body.json()).toEqual({ result: [{ sys_id: 'a' }, { sys_id: 'b' }] });
    }
    expect(seen).toHaveLength(3);
    for (const s of seen) {
      expect(s.before).toBeGreaterThan(0);
      expect(s.after).toBe(0);
    }
  });
});
