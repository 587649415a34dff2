// <inboundEndpoint protocol="http">: a listener of its own (inbound.http.port) whose every request goes into the
// endpoint's sequence, read and answered as the server reads and answers an API (request.ts, response.ts):
// <respond/> answers, a flow that answers nothing gets 202, a fault runs onError and answers 500.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { redactText } from '../logger.js';
import { registerInboundProtocol, type InboundListener } from '../store/index.js';
import { ParameterReader } from '../store/parameters.js';
import { readBody, requestContext, RequestError } from './request.js';
import { statusOf, writeContext, writeJson } from './response.js';

const MAX_BODY = 10 * 1024 * 1024;

registerInboundProtocol('http', async (config, host) => {
  const p = new ParameterReader(`inbound endpoint '${config.name}'`, config.parameters);
  const port = p.integer('inbound.http.port', 8285, 0);
  const bindHost = p.text('inbound.http.host', '127.0.0.1');
  let server: Server | undefined;
  const listener: InboundListener & { port?: number } = {
    name: config.name,
    async start() {
      if (config.suspended) return;
      server = createServer((req, res) => {
        void (async () => {
          const id = randomUUID();
          let ctx;
          try {
            ctx = requestContext(req, await readBody(req, MAX_BODY), {
              kind: 'proxy',
              name: `inbound:${config.name}`,
              resource: '*',
              inSequence: config.sequence,
              uriVars: {},
              postfix: req.url ?? '/',
              context: '',
            });
          } catch (err) {
            if (!(err instanceof RequestError)) throw err;
            return writeJson(res, err.status, { error: { code: 'INVALID_REQUEST', message: err.message } });
          }
          ctx.setProperty('CORRELATION_ID', id);
          ctx.setProperty('TRANSPORT_IN_NAME', 'inbound-http');
          const result = await host.runSequence(config.sequence, ctx);
          if (result.outcome === 'fault' && config.onError) await host.runSequence(config.onError, ctx);
          if (result.outcome === 'responded') return writeContext(res, result.context, statusOf(result.context, 200), req.method === 'HEAD');
          if (result.outcome === 'fault') {
            host.logger.log('warn', `inbound endpoint '${config.name}': flow fault ${result.error?.code ?? ''}`, { correlationId: id });
            return writeJson(res, 500, { error: { code: result.error?.code ?? 'FAULT', message: redactText(result.error?.message ?? 'the flow failed'), correlationId: id } });
          }
          res.writeHead(202, { 'content-length': '0' });
          res.end();
        })().catch((err: unknown) => {
          host.logger.log('error', `inbound endpoint '${config.name}': ${redactText(err instanceof Error ? err.message : String(err))}`);
          if (!res.headersSent) writeJson(res, 500, { error: { code: 'INTERNAL_ERROR', message: 'the flow failed unexpectedly' } });
          else res.destroy();
        });
      });
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(port, bindHost, () => resolve());
      });
      const address = server.address();
      listener.port = typeof address === 'object' && address ? address.port : port;
      host.logger.log('info', `inbound endpoint '${config.name}' listening on http://${bindHost}:${listener.port}`);
    },
    async stop() {
      const s = server;
      server = undefined;
      if (!s) return;
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeIdleConnections();
      });
    },
  };
  return listener;
});
