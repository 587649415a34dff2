// XML payloads over real HTTP: XPath (namespaces on the element, Synapse's variables and functions) in property,
// filter, switch and payloadFactory args; payloadFactory media-type="xml"; messageType conversions both ways with
// MI's JSON <-> XML mapping; json-eval() on XML; SOAP 1.1/1.2 calls and faults; hostile XML refused.
import { describe, expect, it } from 'vitest';
import { call } from '../serve/support.js';
import { useServeAndSoapMock } from './support.js';

const env = useServeAndSoapMock();

const api = (body: string, extra = '') => ({
  file: 'xml-api.xml',
  text: `<definitions xmlns="http://ws.apache.org/ns/synapse">
  <api name="X" context="/x">
    <resource methods="POST GET" uri-template="/{op}">
      <inSequence>${body}</inSequence>
    </resource>
  </api>${extra}
</definitions>`,
});

const ORDER = `<o:order xmlns:o="urn:orders" id="A-1"><o:item sku="k1"><o:qty>2</o:qty></o:item><o:item sku="k2"><o:qty>3</o:qty></o:item><o:note></o:note><o:customer>Ann &amp; Bob</o:customer></o:order>`;

describe('XPath in property, filter, switch', () => {
  it('reads the payload with the prefixes declared on the element, and Synapse variables', async () => {
    const server = await env.harness.serve([
      api(`
        <property name="customer" expression="//o:customer/text()" xmlns:o="urn:orders"/>
        <property name="items" expression="count($body/o:order/o:item)" xmlns:o="urn:orders"/>
        <property name="total" expression="sum(//o:qty)" xmlns:o="urn:orders"/>
        <property name="id" expression="concat('order-', /soapenv:Envelope/soapenv:Body/o:order/@id)" xmlns:o="urn:orders" xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"/>
        <property name="len" expression="string-length(//o:customer)" xmlns:o="urn:orders"/>
        <property name="trace" expression="$trp:X-Trace"/>
        <property name="q" expression="$url:q"/>
        <property name="method" expression="concat($axis2:HTTP_METHOD, '/', get-property('transport', 'X-Trace'), '/', $ctx:customer)"/>
        <filter xpath="//o:note" xmlns:o="urn:orders"><then><property name="hasNote" value="yes"/></then><else><property name="hasNote" value="no"/></else></filter>
        <filter xpath="boolean(//o:missing)" xmlns:o="urn:orders"><then><property name="missing" value="found"/></then><else><property name="missing" value="absent"/></else></filter>
        <switch source="//o:item[2]/@sku" xmlns:o="urn:orders">
          <case regex="k1"><property name="second" value="first sku"/></case>
          <case regex="k2"><property name="second" value="second sku"/></case>
        </switch>
        <payloadFactory media-type="json">
          <format>{"customer": "$1", "items": $2, "total": $3, "id": "$4", "len": $5, "trace": "$6", "q": "$7", "method": "$8", "hasNote": "$9", "missing": "$10", "second": "$11"}</format>
          <args>
            <arg expression="$ctx:customer"/><arg expression="$ctx:items"/><arg expression="$ctx:total"/><arg expression="$ctx:id"/>
            <arg expression="$ctx:len"/><arg expression="$ctx:trace"/><arg expression="$ctx:q"/><arg expression="$ctx:method"/>
            <arg expression="$ctx:hasNote"/><arg expression="$ctx:missing"/><arg expression="$ctx:second"/>
          </args>
        </payloadFactory>
        <respond/>`),
    ]);
    const res = await call(`${server.url}/x/read?q=find%20me`, { body: ORDER, headers: { 'content-type': 'application/xml', 'X-Trace': 't-1' } });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      customer: 'Ann & Bob', items: 2, total: 5, id: 'order-A-1', len: 9, trace: 't-1', q: 'find me',
      method: 'POST/t-1/Ann & Bob', hasNote: 'yes', missing: 'absent', second: 'second sku',
    });
  });

  it('evaluates XPath over a JSON payload through its <jsonObject> form', async () => {
    const server = await env.harness.serve([
      api(`<filter xpath="//item[qty > 2]/sku = 'k2'">
             <then><payloadFactory media-type="json"><format>{"big": "$1", "count": $2}</format>
               <args><arg expression="//item[qty > 2]/sku"/><arg expression="count(/soapenv:Envelope/soapenv:Body/jsonObject/item)" xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"/></args></payloadFactory></then>
             <else><payloadFactory media-type="json"><format>{"big": null}</format><args/></payloadFactory></else>
           </filter><respond/>`),
    ]);
    const res = await call(`${server.url}/x/json`, { json: { item: [{ sku: 'k1', qty: 2 }, { sku: 'k2', qty: 3 }] } });
    expect(res.json).toEqual({ big: 'k2', count: 2 });
  });

  it('refuses at load an XPath whose prefix is not declared, naming the file and line', async () => {
    await expect(env.harness.serve([api(`\n<property name="a" expression="//o:customer"/>`)])).rejects.toThrow(/xml-api\.xml:5: property 'a': Invalid XPath "\/\/o:customer": the namespace prefix 'o' is not declared/);
  });
});

describe('payloadFactory media-type="xml"', () => {
  it('fills $n with escaped text, inserts selected elements as XML, puts unprefixed elements in the Synapse namespace as MI does', async () => {
    const server = await env.harness.serve([
      api(`<payloadFactory media-type="xml">
             <format><summary customer="$1"><who>$1</who><first>$2</first><plain xmlns="">$3</plain></summary></format>
             <args><arg expression="//o:customer" xmlns:o="urn:orders"/><arg expression="//o:item[1]" xmlns:o="urn:orders"/><arg value="&lt;b&gt;not xml" /></args>
           </payloadFactory>
           <property name="sku" expression="//s:first/o:item/@sku" xmlns:o="urn:orders" xmlns:s="http://ws.apache.org/ns/synapse"/>
           <header name="X-Sku" expression="$ctx:sku" scope="transport"/>
           <respond/>`),
    ]);
    const res = await call(`${server.url}/x/pf`, { body: ORDER, headers: { 'content-type': 'application/xml' } });
    expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
    expect(res.text).toBe(
      '<summary xmlns="http://ws.apache.org/ns/synapse" customer="Ann &amp; Bob"><who>Ann &amp; Bob</who>' +
        '<first><o:item sku="k1" xmlns:o="urn:orders"><o:qty>2</o:qty></o:item></first><plain xmlns="">&lt;b&gt;not xml</plain></summary>',
    );
    expect(res.headers.get('x-sku')).toBe('k1');
  });
});

describe('enrich on XML', () => {
  it('moves nodes an XPath selects into the body, a property and beside or into other nodes', async () => {
    const server = await env.harness.serve([
      api(`<enrich><source clone="true" type="custom" xpath="//m0:getQuote" xmlns:m0="http://services.samples"/><target action="replace" type="body"/></enrich>
           <enrich><source type="custom" xpath="//m0:symbol" xmlns:m0="http://services.samples"/><target type="property" property="sym"/></enrich>
           <enrich><source type="inline"><m0:currency xmlns:m0="http://services.samples">EUR</m0:currency></source><target action="child" xpath="//m0:request" xmlns:m0="http://services.samples"/></enrich>
           <enrich><source type="property" property="sym"/><target action="sibling" xpath="//m0:request" xmlns:m0="http://services.samples"/></enrich>
           <enrich><source type="inline">IBM-2</source><target xpath="//m0:request/m0:symbol" xmlns:m0="http://services.samples"/></enrich>
           <respond/>`),
    ]);
    const res = await call(`${server.url}/x/enrich`, {
      body: '<wrapper><m0:getQuote xmlns:m0="http://services.samples"><m0:request><m0:symbol>IBM</m0:symbol></m0:request></m0:getQuote></wrapper>',
      headers: { 'content-type': 'application/xml' },
    });
    expect(res.text).toBe(
      '<m0:getQuote xmlns:m0="http://services.samples"><m0:request><m0:symbol>IBM-2</m0:symbol><m0:currency>EUR</m0:currency></m0:request>' +
        '<m0:symbol>IBM</m0:symbol></m0:getQuote>',
    );
  });
});

describe('messageType conversions and json-eval on XML', () => {
  it('answers a JSON payload as XML with MI\'s mapping, and XML back as JSON (arrays kept by <?xml-multiple?>)', async () => {
    const server = await env.harness.serve([
      api(`<property name="messageType" value="application/xml" scope="axis2"/><respond/>`),
    ]);
    const res = await call(`${server.url}/x/toxml`, { json: { order: { id: 7, tags: ['a'], note: null, '@kind': 'rush', $ref: 'r1' } } });
    expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
    expect(res.text).toBe('<jsonObject><order kind="rush"><id>7</id><?xml-multiple tags?><tags>a</tags><note/><_JsonReader_PS_ref>r1</_JsonReader_PS_ref></order></jsonObject>');
    const back = await env.harness.serve([api(`<property name="messageType" value="application/json" scope="axis2"/><respond/>`)]);
    const json = await call(`${back.url}/x/tojson`, { body: res.text, headers: { 'content-type': 'application/xml' } });
    expect(json.json).toEqual({ order: { '@kind': 'rush', id: 7, tags: ['a'], note: null, $ref: 'r1' } });
  });

  it('text/xml leaves as a SOAP 1.1 envelope and application/soap+xml as SOAP 1.2, as MI\'s SOAP formatter writes them', async () => {
    const server = await env.harness.serve([api(`<filter source="$url:as" regex=".+"><property name="messageType" expression="$url:as" scope="axis2"/></filter><respond/>`)]);
    const pox = await call(`${server.url}/x/soap`, { body: '<a>1</a>', headers: { 'content-type': 'text/xml' } });
    expect(pox.headers.get('content-type')).toBe('text/xml');
    expect(pox.text).toBe('<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><a>1</a></soapenv:Body></soapenv:Envelope>');
    const json12 = await call(`${server.url}/x/soap?as=application/soap%2Bxml`, { json: { a: 1 } });
    expect(json12.text).toBe('<soapenv:Envelope xmlns:soapenv="http://www.w3.org/2003/05/soap-envelope"><soapenv:Body><jsonObject><a>1</a></jsonObject></soapenv:Body></soapenv:Envelope>');
    const plain = await call(`${server.url}/x/soap?as=application/xml`, { body: pox.text, headers: { 'content-type': 'text/xml' } });
    expect(plain.text).toBe('<a>1</a>');
  });

  it('json-eval() and ${payload...} read an XML payload converted as MI does', async () => {
    const server = await env.harness.serve([
      api(`<payloadFactory media-type="json"><format>{"id": "$1", "qty": $2, "customer": "\${payload.order.customer}"}</format>
             <args><arg evaluator="json" expression="$.order.@id"/><arg expression="json-eval($.order.item[1].qty)"/></args></payloadFactory><respond/>`),
    ]);
    const res = await call(`${server.url}/x/jsoneval`, { body: ORDER, headers: { 'content-type': 'application/xml' } });
    expect(res.json).toEqual({ id: 'A-1', qty: 3, customer: 'Ann & Bob' });
  });
});

describe('hostile or broken XML', () => {
  it('refuses a DOCTYPE, malformed XML and deep nesting with 400 before any mediator runs', async () => {
    const server = await env.harness.serve([api('<respond/>')]);
    const bomb = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><lolz>&lol2;</lolz>';
    const doctype = await call(`${server.url}/x/a`, { body: bomb, headers: { 'content-type': 'application/xml' } });
    expect(doctype.status).toBe(400);
    expect(doctype.text).toMatch(/DOCTYPE/);
    const malformed = await call(`${server.url}/x/a`, { body: '<a><b></a>', headers: { 'content-type': 'text/xml' } });
    expect(malformed.status).toBe(400);
    const deep = await call(`${server.url}/x/a`, { body: '<a>'.repeat(500) + '</a>'.repeat(500), headers: { 'content-type': 'application/xml' } });
    expect(deep.status).toBe(400);
    expect(deep.text).toMatch(/deeper than/);
    const twoRoots = await call(`${server.url}/x/a`, { body: '<a/><b/>', headers: { 'content-type': 'application/xml' } });
    expect(twoRoots.status).toBe(400);
  });
});

describe('SOAP calls', () => {
  it('format="soap12" builds a SOAP 1.2 envelope with the action in the content type; a SOAP fault is a response read with XPath', async () => {
    const server = await env.harness.serve([
      api(
        `<payloadFactory media-type="xml"><format><m:getQuote xmlns:m="http://services.samples"><m:request><m:symbol>$1</m:symbol></m:request></m:getQuote></format>
           <args><arg evaluator="json" expression="$.symbol"/></args></payloadFactory>
         <header name="Action" value="urn:getQuote"/>
         <call><endpoint key="Quotes12"/></call>
         <filter xpath="$body/soapenv:Fault" xmlns:soapenv="http://www.w3.org/2003/05/soap-envelope">
           <then>
             <payloadFactory media-type="json"><format>{"fault": "$1", "status": $2}</format>
               <args><arg expression="$body/soapenv:Fault/soapenv:Reason/soapenv:Text" xmlns:soapenv="http://www.w3.org/2003/05/soap-envelope"/><arg expression="$axis2:HTTP_SC"/></args></payloadFactory>
             <property name="HTTP_SC" value="502" scope="axis2"/>
           </then>
           <else>
             <payloadFactory media-type="json"><format>{"name": "$1"}</format>
               <args><arg expression="//ax21:name" xmlns:ax21="http://services.samples/xsd"/></args></payloadFactory>
           </else>
         </filter>
         <respond/>`,
        `<endpoint name="Quotes12"><address uri="${env.mock.url}/services/SimpleStockQuoteService" format="soap12"/></endpoint>`,
      ),
    ]);
    const before = env.mock.received.length;
    const ok = await call(`${server.url}/x/quote`, { json: { symbol: 'IBM' } });
    expect(ok.json).toEqual({ name: 'IBM Company' });
    const sent = env.mock.received[before]!;
    expect(sent.headers['content-type']).toBe('application/soap+xml; charset=UTF-8; action="urn:getQuote"');
    expect(sent.headers.soapaction).toBeUndefined();
    expect(sent.body).toBe(
      '<soapenv:Envelope xmlns:soapenv="http://www.w3.org/2003/05/soap-envelope"><soapenv:Body><m:getQuote xmlns:m="http://services.samples"><m:request><m:symbol>IBM</m:symbol></m:request></m:getQuote></soapenv:Body></soapenv:Envelope>',
    );
    const fault = await call(`${server.url}/x/quote`, { json: { symbol: 'FAULT' } });
    expect(fault.status).toBe(502);
    expect(fault.json).toEqual({ fault: 'No quote for FAULT', status: 500 });
  });
});
