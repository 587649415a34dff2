// The demo's back-end mocks over real HTTP: the SOAP asset register (answers, SOAP faults, the plain-XML read, a
// failing mode) and the chat webhook (accepts {"text"}, refuses the rest as chat tools do, lists what it got).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAssetRegister, type AssetRegisterMock } from '../../src/cli/demo/asset-register.js';
import { startChatWebhook, type ChatWebhookMock } from '../../src/cli/demo/chat-webhook.js';

let register: AssetRegisterMock;
let chat: ChatWebhookMock;
beforeAll(async () => {
  register = await startAssetRegister();
  chat = await startChatWebhook();
});
afterAll(async () => {
  await register.close();
  await chat.close();
});

const envelope = (body: string) =>
  `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;

async function soap(body: string) {
  const res = await fetch(register.soapUrl, { method: 'POST', headers: { 'content-type': 'text/xml', soapaction: '"urn:getAssetByHostname"' }, body });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

describe('asset register mock (SOAP 1.1)', () => {
  it('answers getAssetByHostname with the asset in its namespace', async () => {
    const res = await soap(envelope('<ar:getAssetByHostname xmlns:ar="http://assets.example.org/register"><ar:hostname>mail01</ar:hostname></ar:getAssetByHostname>'));
    expect(res.status).toBe(200);
    expect(res.type).toContain('text/xml');
    expect(res.text).toContain('<ar:getAssetByHostnameResponse xmlns:ar="http://assets.example.org/register"><ar:asset><ar:hostname>mail01</ar:hostname><ar:ciName>email server-01</ar:ciName>');
    expect(register.requests.at(-1)).toEqual({ method: 'POST', path: '/services/AssetRegister', soapAction: 'urn:getAssetByHostname', hostname: 'mail01', status: 200 });
  });

  it('answers a soap:Client fault (500) for an unknown host, a request that is not XML, or another operation', async () => {
    const unknown = await soap(envelope('<getAssetByHostname xmlns="http://assets.example.org/register"><hostname>nope-1</hostname></getAssetByHostname>'));
    expect(unknown.status).toBe(500);
    expect(unknown.text).toContain("<faultcode>soapenv:Client</faultcode><faultstring>no asset with hostname 'nope-1'</faultstring>");
    expect((await soap('not <xml')).text).toContain('<faultcode>soapenv:Client</faultcode>');
    const other = await soap(envelope('<ar:deleteAsset xmlns:ar="http://assets.example.org/register"/>'));
    expect(other.status).toBe(500);
    expect(other.text).toContain('unknown operation; this service offers getAssetByHostname (got deleteAsset)');
  });

  it('serves the same asset as plain XML at GET /assets/{hostname}, 404 when unknown', async () => {
    const res = await fetch(`${register.url}/assets/vpn-gw-01`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<asset xmlns="http://assets.example.org/register"><hostname>vpn-gw-01</hostname><ciName>Corporate VPN</ciName>');
    expect((await fetch(`${register.url}/assets/none`)).status).toBe(404);
  });

  it('answers 503 soap:Server faults while failing', async () => {
    register.setFailing(true);
    try {
      const res = await soap(envelope('<ar:getAssetByHostname xmlns:ar="http://assets.example.org/register"><ar:hostname>mail01</ar:hostname></ar:getAssetByHostname>'));
      expect(res.status).toBe(503);
      expect(res.text).toContain('<faultcode>soapenv:Server</faultcode>');
    } finally {
      register.setFailing(false);
    }
  });
});

describe('chat webhook mock', () => {
  it('accepts {"text"} with "ok" and keeps it; refuses bodies without text or not JSON with 400', async () => {
    const post = (body: string) => fetch(chat.hookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const ok = await post(JSON.stringify({ text: 'INC0010041 created', username: 'snconnect' }));
    expect([ok.status, await ok.text()]).toEqual([200, 'ok']);
    expect(chat.messages.at(-1)).toMatchObject({ channel: 'ops', text: 'INC0010041 created', body: { username: 'snconnect' } });
    const noText = await post('{"attachments": []}');
    expect([noText.status, await noText.text()]).toEqual([400, 'no_text']);
    const notJson = await post('text=hello');
    expect([notJson.status, await notJson.text()]).toEqual([400, 'invalid_payload']);
    const listed = (await (await fetch(`${chat.url}/messages`)).json()) as { text: string }[];
    expect(listed.map((m) => m.text)).toEqual(['INC0010041 created']);
  });
});
