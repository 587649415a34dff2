// The web explorer's public face: a request handler that serve can mount, and a stand-alone server for
// `snconnect explorer`. Both listen only where the caller says; the stand-alone one binds 127.0.0.1.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createExplorer, type ExplorerHandler, type ExplorerOptions } from './explorer.js';

export { createExplorer, type ExplorerHandler, type ExplorerOptions } from './explorer.js';
export { traceFlow, type TraceRunOptions } from './flow-trace.js';
export type * from './api-types.js';

export interface RunningExplorer {
  /** e.g. http://127.0.0.1:8291/ */
  url: string;
  handler: ExplorerHandler;
  close(): Promise<void>;
}

export async function startExplorer(options: ExplorerOptions & { port?: number; host?: string }): Promise<RunningExplorer> {
  const handler = await createExplorer(options);
  const server = createServer((req, res) => {
    handler.handle(req, res).then(
      (handled) => {
        if (!handled && !res.headersSent) {
          res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
          res.end('not found\n');
        }
      },
      () => res.destroy(),
    );
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8291, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}${(options.basePath ?? '').replace(/\/+$/, '')}/`,
    handler,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await handler.close();
    },
  };
}
