// A small SOAP 1.1 system of record for the demo: an asset register that answers getAssetByHostname with the
// host's configuration item, owner, support group, location and environment. It is a real node:http server so
// that a flow reaches it the way it would reach the real one (over a socket, with an envelope, a SOAPAction and
// SOAP faults). Also answers GET /assets/{hostname} with the same asset as plain XML (no envelope), for flows
// that use XML over HTTP.
//
//   POST /services/AssetRegister   text/xml, SOAPAction "urn:getAssetByHostname"
//     <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">
//       <soapenv:Body><ar:getAssetByHostname xmlns:ar="http://assets.example.org/register">
//         <ar:hostname>lnux100</ar:hostname></ar:getAssetByHostname></soapenv:Body></soapenv:Envelope>
//     200 <ar:getAssetByHostnameResponse><ar:asset>...</ar:asset></...>  |  500 soap:Client fault (unknown host,
//     malformed request)  |  503 soap:Server fault while failing (setFailing)
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './read-body.js';
import { XMLParser } from 'fast-xml-parser';

export const ASSET_NAMESPACE = 'http://assets.example.org/register';
const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';

export interface Asset {
  hostname: string;
  /** Name of the configuration item in the CMDB. */
  ciName: string;
  owner: string;
  supportGroup: string;
  location: string;
  environment: 'production' | 'staging' | 'test';
}

/** The register's contents: hosts whose CI names exist in the simulator's seeded CMDB. */
export const DEMO_ASSETS: readonly Asset[] = [
  { hostname: 'lnux100', ciName: 'lnux100', owner: 'beth.anglin', supportGroup: 'Software', location: 'Frankfurt DC1, rack B4', environment: 'production' },
  { hostname: 'app01', ciName: 'PS LinuxApp01', owner: 'don.goodliffe', supportGroup: 'Software', location: 'Frankfurt DC1, rack B5', environment: 'production' },
  { hostname: 'oradb01', ciName: 'Oracle FLX', owner: 'bow.ruggeri', supportGroup: 'Database', location: 'Frankfurt DC1, rack C2', environment: 'production' },
  { hostname: 'mail01', ciName: 'email server-01', owner: 'don.goodliffe', supportGroup: 'Software', location: 'London DC2', environment: 'production' },
  { hostname: 'vpn-gw-01', ciName: 'Corporate VPN', owner: 'beth.anglin', supportGroup: 'Network', location: 'London DC2', environment: 'production' },
  { hostname: 'san01', ciName: 'Storage Area Network 001', owner: 'david.loo', supportGroup: 'Hardware', location: 'Frankfurt DC1, rack A1', environment: 'staging' },
];

export interface AssetRegisterMock {
  url: string;
  /** URL of the SOAP service (POST envelopes here). */
  soapUrl: string;
  /** Requests received, for walk-throughs and tests. */
  readonly requests: Array<{ method: string; path: string; soapAction?: string; hostname?: string; status: number }>;
  /** While failing, every request gets a 503 soap:Server fault (a system of record that is down for maintenance). */
  setFailing(failing: boolean): void;
  close(): Promise<void>;
}

const parser = new XMLParser({ removeNSPrefix: true, ignoreAttributes: true, parseTagValue: false, processEntities: false, maxNestedTags: 50 });

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function assetXml(a: Asset, prefix: string): string {
  const p = prefix ? `${prefix}:` : '';
  const field = (name: keyof Asset) => `<${p}${name}>${escape(a[name])}</${p}${name}>`;
  return `<${p}asset>${field('hostname')}${field('ciName')}${field('owner')}${field('supportGroup')}${field('location')}${field('environment')}</${p}asset>`;
}

function envelope(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="${SOAP11}"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
}

function fault(code: 'soapenv:Client' | 'soapenv:Server', message: string): string {
  return envelope(`<soapenv:Fault><faultcode>${code}</faultcode><faultstring>${escape(message)}</faultstring></soapenv:Fault>`);
}

/** The hostname asked for in a getAssetByHostname envelope, or a reason the request is not one. */
function requestedHostname(xml: string): { hostname: string } | { problem: string } {
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(xml) as Record<string, unknown>;
  } catch (err) {
    return { problem: `the request is not XML: ${err instanceof Error ? err.message : String(err)}` };
  }
  const body = (doc['Envelope'] as Record<string, unknown> | undefined)?.['Body'] as Record<string, unknown> | undefined;
  if (!body) return { problem: 'the request is not a SOAP 1.1 envelope with a Body' };
  const op = body['getAssetByHostname'] as Record<string, unknown> | undefined;
  if (!op) return { problem: `unknown operation; this service offers getAssetByHostname (got ${Object.keys(body).join(', ') || 'an empty Body'})` };
  const hostname = typeof op['hostname'] === 'string' ? op['hostname'].trim() : '';
  return hostname ? { hostname } : { problem: 'getAssetByHostname needs a hostname' };
}

export async function startAssetRegister(options: { port?: number; assets?: readonly Asset[] } = {}): Promise<AssetRegisterMock> {
  const byHost = new Map((options.assets ?? DEMO_ASSETS).map((a) => [a.hostname.toLowerCase(), a]));
  const requests: AssetRegisterMock['requests'] = [];
  let failing = false;

  const answer = (res: ServerResponse, status: number, contentType: string, body: string, entry: AssetRegisterMock['requests'][number]) => {
    entry.status = status;
    requests.push(entry);
    res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) }).end(body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const entry: AssetRegisterMock['requests'][number] = { method: req.method ?? 'GET', path, status: 0 };
    const soapAction = req.headers['soapaction'];
    if (typeof soapAction === 'string') entry.soapAction = soapAction.replace(/^"|"$/g, '');
    const text = await readBody(req);
    if (failing) return answer(res, 503, 'text/xml; charset=UTF-8', fault('soapenv:Server', 'the asset register is down for maintenance'), entry);
    if (path === '/services/AssetRegister' && req.method === 'POST') {
      if (text === undefined) return answer(res, 413, 'text/xml; charset=UTF-8', fault('soapenv:Client', 'request too large'), entry);
      const asked = requestedHostname(text);
      if ('problem' in asked) return answer(res, 500, 'text/xml; charset=UTF-8', fault('soapenv:Client', asked.problem), entry);
      entry.hostname = asked.hostname;
      const asset = byHost.get(asked.hostname.toLowerCase());
      if (!asset) return answer(res, 500, 'text/xml; charset=UTF-8', fault('soapenv:Client', `no asset with hostname '${asked.hostname}'`), entry);
      return answer(res, 200, 'text/xml; charset=UTF-8', envelope(`<ar:getAssetByHostnameResponse xmlns:ar="${ASSET_NAMESPACE}">${assetXml(asset, 'ar')}</ar:getAssetByHostnameResponse>`), entry);
    }
    const plain = /^\/assets\/([^/]+)$/.exec(path);
    if (plain && req.method === 'GET') {
      const hostname = decodeURIComponent(plain[1]!);
      entry.hostname = hostname;
      const asset = byHost.get(hostname.toLowerCase());
      if (!asset) return answer(res, 404, 'application/xml', `<error xmlns="${ASSET_NAMESPACE}"><message>no asset with hostname '${escape(hostname)}'</message></error>`, entry);
      return answer(res, 200, 'application/xml', assetXml(asset, '').replace('<asset>', `<asset xmlns="${ASSET_NAMESPACE}">`), entry);
    }
    return answer(res, 404, 'text/plain', 'not found: POST /services/AssetRegister (SOAP 1.1) or GET /assets/{hostname}\n', entry);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    soapUrl: `${url}/services/AssetRegister`,
    requests,
    setFailing(value) {
      failing = value;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
