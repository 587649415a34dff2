// A server for the serve benchmark, in a process of its own: `serve` is `snconnect serve` running an <api> whose
// resource calls getRecordById and responds; `raw` is a hand-written node:http handler doing the same call with
// undici. Both answer GET /bench/incidents/{sysId} and GET /__bench/rss (this process's RSS in bytes), and print
// their URL on stdout.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { loadConnector } from '../../src/index.js';
import { buildArtifacts, startFlowServer } from '../../src/serve/index.js';
import { ADMIN_AUTH } from '../support/child.js';

const [mode, simUrl] = process.argv.slice(2);
const CONCURRENCY = 32;

const api = `<definitions xmlns="http://ws.apache.org/ns/synapse">
  <localEntry key="SN">
    <servicenow.init>
      <serviceNowInstanceURL>${simUrl}</serviceNowInstanceURL>
      <username>admin</username>
      <password>admin</password>
      <maxConcurrency>${CONCURRENCY}</maxConcurrency>
    </servicenow.init>
  </localEntry>
  <api name="Bench" context="/bench">
    <resource methods="GET" uri-template="/incidents/{sysId}">
      <inSequence>
        <servicenow.getRecordById configKey="SN">
          <tableName>incident</tableName>
          <sysId>{$ctx:uri.var.sysId}</sysId>
        </servicenow.getRecordById>
        <respond/>
      </inSequence>
    </resource>
  </api>
</definitions>`;

/**
 * RSS as it stands, then the heap and RSS after a full collection (the child runs with --expose-gc): RSS alone moves
 * with the heap's sizing, so growth is judged on what a collection cannot free.
 */
function memoryReport(): string {
  const rss = process.memoryUsage().rss;
  (globalThis as { gc?: () => void }).gc?.();
  const after = process.memoryUsage();
  return JSON.stringify({ rss, rssAfterGc: after.rss, heapAfterGc: after.heapUsed });
}

if (mode === 'serve') {
  const connector = await loadConnector();
  const artifacts = buildArtifacts([{ file: 'bench-api.xml', text: api }], { connector });
  const server = await startFlowServer({ artifacts, connector, port: 0 });
  server.mount('/__bench', (_req, res) => {
    res.end(memoryReport());
  });
  console.log(server.url);
} else {
  const agent = new Agent({ connections: CONCURRENCY });
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/__bench/rss') return void res.end(memoryReport());
    const m = /^\/bench\/incidents\/([0-9a-f]{32})$/.exec(url);
    if (!m || req.method !== 'GET') {
      res.writeHead(404).end();
      return;
    }
    request(`${simUrl}/api/now/table/incident/${m[1]}`, { dispatcher: agent, headers: { authorization: ADMIN_AUTH, accept: 'application/json' } })
      .then(async (up) => {
        const body = await up.body.text();
        res.writeHead(up.statusCode, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      })
      .catch(() => {
        res.writeHead(502).end();
      });
  });
  server.keepAliveTimeout = 5000;
  server.listen(0, '127.0.0.1', () => console.log(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
}

// Stopped by the bench with SIGTERM: exit normally (so --cpu-prof and the like can write their output).
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => process.exit(0));
