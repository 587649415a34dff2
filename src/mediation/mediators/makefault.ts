// `<makefault>` (MI's Fault mediator): the message becomes a SOAP 1.1 / 1.2 fault envelope (or, with version="pox",
// an <Exception> element), built from `<code value>`, `<reason value|expression>`, optional `<role>`/`<node>` and
// `<detail>`. As MI answers a fault, HTTP_SC becomes 500 unless the flow set a status. Registered as a mediator at
// import (mediation/index.ts imports this file), like `<store>`.
import { asText, escapeXmlText, evaluateNode, setXmlPayload, SOAP11_NS, SOAP12_NS, type ExprNode, type MessageContext } from '../../context/index.js';
import { registerMediator, type MediatorBuildTools } from '../extensions.js';
import { prefixPart, type XmlElement } from '../xml.js';

type Text = { value: string } | { expression: ExprNode };

const escapeAttr = (t: string): string => escapeXmlText(t).replace(/"/g, '&quot;');

function text(el: XmlElement, tools: MediatorBuildTools, what: string): Text | undefined {
  if (el.attributes.expression !== undefined) {
    const node = tools.expression(el, el.attributes.expression, what);
    return node ? { expression: node } : undefined;
  }
  if (el.attributes.value !== undefined) return { value: el.attributes.value };
  return { value: el.text.trim() };
}

function evaluate(t: Text | undefined, ctx: MessageContext): string {
  if (!t) return '';
  if ('value' in t) return t.value;
  const v = evaluateNode(t.expression, ctx);
  return v === undefined || v === null ? '' : asText(v);
}

registerMediator('makefault', (el, tools) => {
  const version = el.attributes.version ?? 'soap11';
  if (version !== 'soap11' && version !== 'soap12' && version !== 'pox') {
    tools.error(el, `<makefault version="${version}"> must be soap11, soap12 or pox`);
    return undefined;
  }
  let code: { qname: string; ns?: { prefix: string; uri: string } } | undefined;
  let reason: Text | undefined;
  let role: Text | undefined;
  let node: Text | undefined;
  let detail: Text | undefined;
  for (const c of el.children) {
    if (c.name === 'code') {
      const qname = (c.attributes.value ?? '').trim();
      const prefix = prefixPart(qname);
      const uri = prefix ? c.namespaces[prefix] : undefined;
      if (!qname || (prefix && !uri)) tools.error(c, `<makefault> <code value="${qname}"> must be a prefixed name whose prefix is declared (e.g. soap11Env:Server)`);
      code = { qname, ...(prefix && uri ? { ns: { prefix, uri } } : {}) };
    } else if (c.name === 'reason') reason = text(c, tools, 'makefault reason');
    else if (c.name === 'role') role = text(c, tools, 'makefault role');
    else if (c.name === 'node') node = text(c, tools, 'makefault node');
    else if (c.name === 'detail') detail = text(c, tools, 'makefault detail');
    else if (c.name !== 'description' && c.name !== 'comment') tools.error(c, `<${c.name}> is not expected in <makefault> (expected <code>, <reason>, <role>, <node>, <detail>)`);
  }
  if (el.attributes.response !== undefined) tools.warn(el, '<makefault response="..."> has no effect here: the flow answers with <respond/> or <send/>');
  if (version !== 'pox' && !code) tools.error(el, '<makefault> needs <code value="prefix:Name"/>');
  if (!reason) tools.error(el, '<makefault> needs <reason value="..."/> or <reason expression="..."/>');
  return {
    run(ctx) {
      const why = escapeXmlText(evaluate(reason, ctx));
      const more = detail ? evaluate(detail, ctx) : '';
      let xml: string;
      if (version === 'pox') {
        xml = `<Exception>${why}${more ? `<detail>${escapeXmlText(more)}</detail>` : ''}</Exception>`;
        setXmlPayload(ctx, xml, 'application/xml');
      } else {
        const ns = code?.ns ? ` xmlns:${code.ns.prefix}="${escapeAttr(code.ns.uri)}"` : '';
        const qname = escapeXmlText(code?.qname ?? '');
        const fault = version === 'soap11'
          ? `<soapenv:Fault><faultcode${ns}>${qname}</faultcode><faultstring>${why}</faultstring>${role ? `<faultactor>${escapeXmlText(evaluate(role, ctx))}</faultactor>` : ''}${more ? `<detail>${escapeXmlText(more)}</detail>` : ''}</soapenv:Fault>`
          : `<soapenv:Fault><soapenv:Code><soapenv:Value${ns}>${qname}</soapenv:Value></soapenv:Code><soapenv:Reason><soapenv:Text xml:lang="en">${why}</soapenv:Text></soapenv:Reason>${node ? `<soapenv:Node>${escapeXmlText(evaluate(node, ctx))}</soapenv:Node>` : ''}${role ? `<soapenv:Role>${escapeXmlText(evaluate(role, ctx))}</soapenv:Role>` : ''}${more ? `<soapenv:Detail>${escapeXmlText(more)}</soapenv:Detail>` : ''}</soapenv:Fault>`;
        xml = `<soapenv:Envelope xmlns:soapenv="${version === 'soap11' ? SOAP11_NS : SOAP12_NS}"><soapenv:Body>${fault}</soapenv:Body></soapenv:Envelope>`;
        setXmlPayload(ctx, xml, version === 'soap11' ? 'text/xml' : 'application/soap+xml');
      }
      if (ctx.getProperty('HTTP_SC', 'axis2') === undefined) ctx.setProperty('HTTP_SC', 500, 'axis2');
    },
  };
});
