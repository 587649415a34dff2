// A small SOAP/XML system of record for tests: a real node:http server on 127.0.0.1 (port 0) that answers the WSO2
// samples' SimpleStockQuoteService operations the way the MI documentation's examples show, and records what it
// received (method, path, headers, body) so that tests can check what a flow sent.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface SoapMock {
  url: string;
  received: ReceivedRequest[];
  close(): Promise<void>;
}

const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const SOAP12 = 'http://www.w3.org/2003/05/soap-envelope';

/** The quote the docs' routing example shows (its back end answered with an envelope inside the body). */
function quoteResponse(symbol: string): string {
  return (
    `<soapenv:Envelope xmlns:soapenv="${SOAP11}"><soapenv:Body>` +
    `<soapenv:Envelope xmlns:ax21="http://services.samples/xsd" xmlns:ns="http://services.samples"><soapenv:Body><ns:getQuoteResponse>` +
    `<ax21:change>-2.86843917118114</ax21:change><ax21:earnings>-8.540305401672558</ax21:earnings><ax21:high>-176.67958828498735</ax21:high>` +
    `<ax21:last>177.66987465262923</ax21:last><ax21:low>-176.30898912339075</ax21:low><ax21:marketCap>5.649557998178506E7</ax21:marketCap>` +
    `<ax21:name>${symbol} Company</ax21:name><ax21:open>185.62740369461244</ax21:open><ax21:peRatio>24.341353665128693</ax21:peRatio>` +
    `<ax21:percentageChange>-1.4930577008849097</ax21:percentageChange><ax21:prevClose>192.11844053187397</ax21:prevClose>` +
    `<ax21:symbol>${symbol}</ax21:symbol><ax21:volume>7791</ax21:volume>` +
    `</ns:getQuoteResponse></soapenv:Body></soapenv:Envelope></soapenv:Body></soapenv:Envelope>`
  );
}

function fault(ns: string, code: string, reason: string): string {
  return ns === SOAP12
    ? `<soapenv:Envelope xmlns:soapenv="${SOAP12}"><soapenv:Body><soapenv:Fault><soapenv:Code><soapenv:Value>soapenv:${code}</soapenv:Value></soapenv:Code><soapenv:Reason><soapenv:Text xml:lang="en">${reason}</soapenv:Text></soapenv:Reason></soapenv:Fault></soapenv:Body></soapenv:Envelope>`
    : `<soapenv:Envelope xmlns:soapenv="${SOAP11}"><soapenv:Body><soapenv:Fault><faultcode>soapenv:${code}</faultcode><faultstring>${reason}</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`;
}

export async function startSoapMock(): Promise<SoapMock> {
  const received: ReceivedRequest[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body });
      const type = String(req.headers['content-type'] ?? '');
      const ns = type.startsWith('application/soap+xml') ? SOAP12 : SOAP11;
      const soapType = ns === SOAP12 ? 'application/soap+xml; charset=UTF-8' : 'text/xml; charset=UTF-8';
      const symbol = /<(?:\w+:)?symbol>([^<]*)</.exec(body)?.[1] ?? '';
      if (req.url === '/services/SimpleStockQuoteService') {
        if (symbol === 'FAULT') {
          res.writeHead(500, { 'content-type': soapType });
          res.end(fault(ns, ns === SOAP12 ? 'Receiver' : 'Server', 'No quote for FAULT'));
        } else if (/placeOrder/.test(body)) {
          res.writeHead(202).end(); // one-way: accepted, no body
        } else if (/getQuote/.test(body)) {
          res.writeHead(200, { 'content-type': soapType });
          res.end(quoteResponse(symbol));
        } else {
          res.writeHead(500, { 'content-type': soapType });
          res.end(fault(ns, ns === SOAP12 ? 'Sender' : 'Client', 'unknown operation'));
        }
        return;
      }
      if (req.url?.startsWith('/assets/')) {
        // A plain-XML system of record: GET /assets/{host} answers the asset, POX.
        const host = decodeURIComponent(req.url.slice('/assets/'.length));
        res.writeHead(200, { 'content-type': 'application/xml' });
        res.end(`<asset xmlns="urn:cmdb"><host>${host}</host><owner team="ops">Network</owner><tags><tag>core</tag><tag>vpn</tag></tags></asset>`);
        return;
      }
      if (req.url === '/echo') {
        // Answers what it was sent, in the type it was sent.
        res.writeHead(200, { 'content-type': type || 'text/plain' });
        res.end(body);
        return;
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
