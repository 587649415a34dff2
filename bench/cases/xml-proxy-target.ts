// Servers for the XML proxy benchmark (bench/xml-proxy.ts), each in a process of its own, printing `listening on <url>`:
//   backend  an XML back end: POST /orders (application/xml) answers an XML order result;
//   serve    `snconnect serve` running an <api> that turns the JSON request into XML (messageType), calls the back end
//            and answers its XML as JSON (messageType);
//   raw      a hand-written node:http + undici handler doing the same conversions with the same libraries
//            (MI's mapping from src/context/xml, @xmldom/xmldom for parsing).
// With a third argument `json`, the same three without any conversion (JSON in, JSON to the back end, JSON out): the
// cost of serving a flow apart from XML, to tell the two apart.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { loadConnector } from '../../src/index.js';
import { jsonToXmlText, parseXmlDocument, xmlToJson } from '../../src/context/index.js';
import { buildArtifacts, startFlowServer } from '../../src/serve/index.js';

const [mode, backend, variant] = process.argv.slice(2);
const json = variant === 'json' || backend === 'json';
const CONCURRENCY = 32;
// A normal exit on SIGTERM (the bench stops its children so), so that a --cpu-prof profile of this process is written.
process.once('SIGTERM', () => process.exit(0));

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function listen(server: ReturnType<typeof createServer>): void {
  server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`));
}

if (mode === 'backend') {
  const lines = Array.from({ length: 10 }, (_, i) => `<line><sku>SKU-${i}</sku><qty>${i + 1}</qty><price>${(i * 3.5).toFixed(2)}</price></line>`).join('');
  listen(
    createServer(async (req, res) => {
      const text = await body(req);
      const id = /<id>([^<]*)<\/id>|"id":"([^"]*)"/.exec(text)?.slice(1).find(Boolean) ?? 'none';
      if (json) {
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end(JSON.stringify({ orderResult: { id, status: 'accepted', lines: Array.from({ length: 10 }, (_, i) => ({ sku: `SKU-${i}`, qty: i + 1, price: i * 3.5 })), total: 157.5 } }));
      }
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(`<orderResult xmlns="urn:orders"><id>${id}</id><status>accepted</status><lines>${lines}</lines><total>157.50</total></orderResult>`);
    }),
  );
} else if (mode === 'serve') {
  const api = `<api xmlns="http://ws.apache.org/ns/synapse" name="XmlBench" context="/bench">
    <resource methods="POST" uri-template="/orders">
      <inSequence>
        ${json ? '' : '<property name="messageType" value="application/xml" scope="axis2"/>'}
        <call><endpoint><http method="post" uri-template="${backend}/orders"/></endpoint></call>
        ${json ? '' : '<property name="messageType" value="application/json" scope="axis2"/>'}
        <respond/>
      </inSequence>
    </resource>
  </api>`;
  const connector = await loadConnector();
  const artifacts = buildArtifacts([{ file: 'xml-bench-api.xml', text: api }], { connector });
  const server = await startFlowServer({ artifacts, connector, port: 0 });
  console.log(`listening on ${server.url}`);
} else {
  const agent = new Agent({ connections: CONCURRENCY });
  listen(
    createServer(async (req, res) => {
      const parsed = JSON.parse(await body(req)) as unknown;
      const answer = json
        ? await request(`${backend}/orders`, { method: 'POST', dispatcher: agent, headers: { 'content-type': 'application/json' }, body: JSON.stringify(parsed) })
        : await request(`${backend}/orders`, { method: 'POST', dispatcher: agent, headers: { 'content-type': 'application/xml' }, body: jsonToXmlText(parsed) });
      const text = await answer.body.text();
      const out = json ? JSON.stringify(JSON.parse(text)) : JSON.stringify(xmlToJson(parseXmlDocument(text).documentElement!));
      res.writeHead(answer.statusCode, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(out) });
      res.end(out);
    }),
  );
}
