// The WSO2 MI documentation's own examples for XML <-> JSON conversion, payloadFactory with XML, XPath in switch and
// filter, and JSON -> SOAP, run unchanged under `serve` (test/fixtures/wso2-mi/xml, each citing its page) against a
// real SOAP/XML mock over HTTP; the answers are the ones the pages show.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { call } from '../serve/support.js';
import { useServeAndSoapMock } from './support.js';

const DIR = 'test/fixtures/wso2-mi/xml';
const env = useServeAndSoapMock();

async function fixture(name: string): Promise<{ file: string; text: string }> {
  const text = await readFile(`${DIR}/${name}`, 'utf8');
  return { file: `${DIR}/${name}`, text: text.replaceAll('http://localhost:9000', env.mock.url) };
}

const LAUNCH_PADS = `<SpaceX_LaunchPads>
        <Station>
            <Name>Kennedy Space Center Historic Launch Complex 39A</Name>
            <Short_Name>KSC LC 39A</Short_Name>
            <Launches>
                <Attempts>18</Attempts>
                <Successful>18</Successful>
            </Launches>
            <Region>Florida</Region>
            <Latitude>28.6080585</Latitude>
            <Longitude>-80.6039558</Longitude>
            <WIKI_Link>https://en.wikipedia.org/wiki/Kennedy_Space_Center_Launch_Complex_39#Launch_Pad_39A</WIKI_Link>
        </Station>
    </SpaceX_LaunchPads>`;
const STATION = {
  Name: 'Kennedy Space Center Historic Launch Complex 39A',
  Short_Name: 'KSC LC 39A',
  Launches: { Attempts: 18, Successful: 18 },
  Region: 'Florida',
  Latitude: 28.6080585,
  Longitude: -80.6039558,
  WIKI_Link: 'https://en.wikipedia.org/wiki/Kennedy_Space_Center_Launch_Complex_39#Launch_Pad_39A',
};

describe('MI documentation: XML <-> JSON conversion', () => {
  it('pox-to-json example 1: messageType=application/json answers the XML request as JSON', async () => {
    const server = await env.harness.serve([await fixture('pox-to-json-messagetype.xml')]);
    // The page sends this envelope and shows the whole envelope converted, which is what MI's POX builder does with
    // it; MI reads a body as POX when it comes as application/xml (as text/xml it would be SOAP: only the body's child).
    const envelope = `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">
   <soapenv:Header/>
   <soapenv:Body>
   ${LAUNCH_PADS}
   </soapenv:Body>
</soapenv:Envelope>`;
    const res = await call(`${server.url}/services/POX_To_JSON_Convert_Msgtype_Proxy`, { body: envelope, headers: { 'content-type': 'application/xml' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.json).toEqual({ Envelope: { Header: null, Body: { SpaceX_LaunchPads: { Station: STATION } } } });
    const soap = await call(`${server.url}/services/POX_To_JSON_Convert_Msgtype_Proxy`, { body: envelope, headers: { 'content-type': 'text/xml' } });
    expect(soap.json).toEqual({ SpaceX_LaunchPads: { Station: STATION } });
  });

  it('pox-to-json example 2: payloadFactory with XPath args builds the JSON the page shows', async () => {
    const server = await env.harness.serve([await fixture('pox-to-json-payloadfactory.xml')]);
    const res = await call(`${server.url}/services/POX_To_JSON_Convert_PayloadFactory_Proxy`, { body: LAUNCH_PADS, headers: { 'content-type': 'text/xml' } });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      name: 'KSC LC 39A',
      location: { region: 'Florida', latitude: 28.6080585, longitude: -80.6039558 },
      attempted_launches: 18,
      successful_launches: 18,
      wikipedia: 'https://en.wikipedia.org/wiki/Kennedy_Space_Center_Launch_Complex_39#Launch_Pad_39A',
      site_name_long: 'Kennedy Space Center Historic Launch Complex 39A',
    });
  });

  it('json-examples "tojson": repeated elements become an array, numbers numbers', async () => {
    const server = await env.harness.serve([await fixture('json-examples-tojson.xml')]);
    const request = `<coordinates>
       <location>
           <name>Bermuda Triangle</name>
           <n>25.0000</n>
           <w>71.0000</w>
       </location>
       <location>
           <name>Eiffel Tower</name>
           <n>48.8582</n>
           <e>2.2945</e>
       </location>
</coordinates>`;
    const res = await call(`${server.url}/services/tojson`, { body: request, headers: { 'content-type': 'application/xml' } });
    expect(res.json).toEqual({
      coordinates: {
        location: [
          { name: 'Bermuda Triangle', n: 25.0, w: 71.0 },
          { name: 'Eiffel Tower', n: 48.8582, e: 2.2945 },
        ],
      },
    });
  });
});

describe('MI documentation: SOAP', () => {
  it('json-to-soap example 1: the JSON order goes to the SOAP back end as the envelope payloadFactory built', async () => {
    const server = await env.harness.serve([await fixture('json-to-soap-payloadfactory.xml')]);
    const before = env.mock.received.length;
    const res = await call(`${server.url}/stockorder_api`, {
      json: { placeOrder: { order: { symbol: 'IBM', price: '3.141593E0', quantity: '4' } } },
      headers: { SoapAction: 'urn:placeOrder' },
    });
    // The page: "The JSON client will receive a 202 response from the backend".
    expect(res.status).toBe(202);
    const sent = env.mock.received[before]!;
    expect(sent.headers['content-type']).toMatch(/^text\/xml/);
    expect(sent.headers.soapaction).toBe('"urn:placeOrder"');
    expect(sent.body).toMatch(/^<soapenv:Envelope xmlns:soapenv="http:\/\/schemas.xmlsoap.org\/soap\/envelope\/"/);
    expect(sent.body).toContain('<xsd:symbol>IBM</xsd:symbol>');
    expect(sent.body).toContain('<xsd:price>3.141593E0</xsd:price>');
    expect(sent.body).toContain('<xsd:quantity>4</xsd:quantity>');
  });

  it('routing on payloads: switch on $body//ser:getQuote/ser:request/xsd:symbol, header Action, answers in JSON or SOAP', async () => {
    const server = await env.harness.serve([await fixture('content-based-routing.xml')]);
    const request = (symbol: string) => `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ser="http://services.samples" xmlns:xsd="http://services.samples/xsd">
  <soapenv:Header/>
  <soapenv:Body>
     <ser:getQuote xmlns:ser="http://services.samples" xmlns:xsd="http://services.samples/xsd">
        <ser:request>
           <xsd:symbol>${symbol}</xsd:symbol>
        </ser:request>
     </ser:getQuote>
  </soapenv:Body>
</soapenv:Envelope>`;
    const before = env.mock.received.length;
    const ibm = await call(`${server.url}/services/ContentBasedRoutingProxy`, { body: request('IBM'), headers: { 'content-type': 'text/xml;charset=UTF-8' } });
    expect(ibm.status).toBe(200);
    expect(ibm.headers.get('content-type')).toMatch(/^application\/json/);
    // The page's answer (its back end put an envelope inside the body; the mock answers the same).
    expect(ibm.json).toEqual({
      Envelope: {
        Body: {
          getQuoteResponse: {
            change: -2.86843917118114, earnings: -8.540305401672558, high: -176.67958828498735, last: 177.66987465262923,
            low: -176.30898912339075, marketCap: 56495579.98178506, name: 'IBM Company', open: 185.62740369461244,
            peRatio: 24.341353665128693, percentageChange: -1.4930577008849097, prevClose: 192.11844053187397, symbol: 'IBM', volume: 7791,
          },
        },
      },
    });
    // <header name="Action" scope="default" value="urn:getQuote"/> is the SOAPAction of the SOAP 1.1 call.
    expect(env.mock.received[before]!.headers.soapaction).toBe('"urn:getQuote"');
    expect(env.mock.received[before]!.body).toContain('<xsd:symbol>IBM</xsd:symbol>');

    const msft = await call(`${server.url}/services/ContentBasedRoutingProxy`, { body: request('MSFT'), headers: { 'content-type': 'text/xml;charset=UTF-8' } });
    expect(msft.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(msft.text).toMatch(/^<soapenv:Envelope xmlns:soapenv="http:\/\/schemas.xmlsoap.org\/soap\/envelope\/"><soapenv:Body><soapenv:Envelope/);
    expect(msft.text).toContain('<ax21:name>MSFT Company</ax21:name>');

    const other = await call(`${server.url}/services/ContentBasedRoutingProxy`, { body: request('ACME'), headers: { 'content-type': 'text/xml' } });
    expect(other.status).toBe(202);
    expect(server.logs.some((l) => l.fields?.Error === 'Invalid request for symbol - ACME')).toBe(true);
  });

  it('filter on get-property(\'Action\'): the SOAPAction of the request picks the branch', async () => {
    const server = await env.harness.serve([await fixture('filter-by-action.xml')]);
    const body = '<getBusNo xmlns="urn:transport"/>';
    await call(`${server.url}/services/BusOrTrain`, { body, headers: { 'content-type': 'text/xml', SOAPAction: '"urn:getBusNo"' } });
    await call(`${server.url}/services/BusOrTrain`, { body, headers: { 'content-type': 'text/xml', SOAPAction: '"urn:getTrainNo"' } });
    const services = server.logs.map((l) => l.fields?.service).filter(Boolean);
    expect(services).toEqual(['Bus Services is called', 'Train Service is called']);
  });
});
