// examples/monitoring-alert-api.xml end to end over real HTTP: the served API, the demo's SOAP asset register and
// chat webhook (real node:http servers), and the simulator. An alert creates an incident for the host's CI; a
// second alert for the host updates it instead of creating another; the chat hears of both; the documented answers
// when the alert is bad, the host unknown, the register failing or unreachable, the chat down, ServiceNow refusing.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAssetRegister, type AssetRegisterMock } from '../../src/cli/demo/asset-register.js';
import { startChatWebhook, type ChatWebhookMock } from '../../src/cli/demo/chat-webhook.js';
import { closeEndpointConnections } from '../../src/mediation/endpoints/endpoint-call.js';
import { refusedUrl } from '../support/mock-backend.js';
import { call, startServeHarness, type ServeHarness } from './support.js';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'monitoring-alert-api.xml');
let h: ServeHarness;
let register: AssetRegisterMock;
let chat: ChatWebhookMock;
let sources: { file: string; text: string }[];

beforeAll(async () => {
  h = await startServeHarness();
  register = await startAssetRegister();
  chat = await startChatWebhook();
  sources = await h.fixtures(EXAMPLE);
});
afterAll(async () => {
  await h.close();
  await register.close();
  await chat.close();
  await closeEndpointConnections();
});

function serveExample(overrides: Record<string, string> = {}) {
  return h.serve(sources, {
    properties: { serviceNowInstanceURL: h.sim.url, username: 'admin', password: 'admin', assetRegisterUrl: register.soapUrl, chatWebhookUrl: chat.hookUrl, ...overrides },
  });
}

const openMonitoringIncidents = (ci: string) => h.sim.db.list('incident', `active=true^correlation_display=monitoring^cmdb_ci.name=${ci}`);
const alert = (host: string, summary: string, severity = 'critical') => ({ host, check: 'disk_usage', severity, summary, source: 'prometheus' });

describe('examples/monitoring-alert-api.xml', () => {
  it('creates an incident for the CI the asset register names, then updates it for the next alert; the chat hears of both', async () => {
    const server = await serveExample();
    const sorBefore = register.requests.length;
    const first = await call(`${server.url}/monitoring/alerts`, { json: alert('lnux100', '/var is 95% full') });
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ action: 'created', host: 'lnux100', ci: 'lnux100', assignmentGroup: 'Software', notified: true });
    expect(first.json.incident).toMatch(/^INC\d{7}$/);
    // The asset register was asked over SOAP, with the action and the host.
    expect(register.requests.slice(sorBefore)).toEqual([{ method: 'POST', path: '/services/AssetRegister', soapAction: 'urn:getAssetByHostname', hostname: 'lnux100', status: 200 }]);
    const created = openMonitoringIncidents('lnux100');
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ number: first.json.incident, short_description: 'lnux100: /var is 95% full', priority: '1', correlation_id: 'lnux100' });
    expect(h.sim.db.list('sys_user_group', `sys_id=${created[0]!.assignment_group}`)[0]?.name).toBe('Software');
    expect(chat.messages.at(-1)).toMatchObject({ channel: 'ops', text: `[critical] ${first.json.incident} created for lnux100 (CI lnux100, group Software): /var is 95% full` });

    const chatBefore = chat.messages.length;
    const second = await call(`${server.url}/monitoring/alerts`, { json: alert('lnux100', '/var is 98% full') });
    expect(second.status).toBe(200);
    expect(second.json).toMatchObject({ incident: first.json.incident, action: 'updated', notified: true });
    const after = openMonitoringIncidents('lnux100');
    expect(after).toHaveLength(1);
    expect(after[0]!.work_notes).toContain('/var is 98% full');
    expect(chat.messages.slice(chatBefore).map((m) => m.text)).toEqual([`[critical] ${first.json.incident} updated for lnux100 (CI lnux100, group Software): /var is 98% full`]);
  });

  it('answers 400 for an alert that does not conform to the schema, before asking any system', async () => {
    const server = await serveExample();
    const sorBefore = register.requests.length;
    const res = await call(`${server.url}/monitoring/alerts`, { json: { severity: 'urgent', summary: 'x' } });
    expect(res.status).toBe(400);
    expect(res.json.error.detail).toContain("must have required property 'host'");
    expect(res.json.error.detail).toContain('/severity');
    expect(register.requests.length).toBe(sorBefore);
  });

  it('answers 422 and creates nothing when the asset register does not know the host (SOAP fault)', async () => {
    const server = await serveExample();
    const incidents = h.sim.db.count('incident');
    const chatBefore = chat.messages.length;
    const res = await call(`${server.url}/monitoring/alerts`, { json: alert('db-legacy-07', 'replication lag') });
    expect(res.status).toBe(422);
    expect(res.json.error).toEqual({ status: 422, message: "host 'db-legacy-07' is not in the asset register", detail: "no asset with hostname 'db-legacy-07'" });
    expect(h.sim.db.count('incident')).toBe(incidents);
    expect(chat.messages.length).toBe(chatBefore);
  });

  it('answers 502 when the asset register fails, and 503 (faultSequence, code 101503) when it cannot be reached', async () => {
    const server = await serveExample();
    const incidents = h.sim.db.count('incident');
    register.setFailing(true);
    try {
      const failing = await call(`${server.url}/monitoring/alerts`, { json: alert('app01', 'cpu 100%') });
      expect(failing.status).toBe(502);
      expect(failing.json.error).toMatchObject({ status: 502, message: 'the asset register answered 503', detail: 'the asset register is down for maintenance' });
    } finally {
      register.setFailing(false);
    }
    const down = await serveExample({ assetRegisterUrl: `${await refusedUrl()}/services/AssetRegister` });
    const unreachable = await call(`${down.url}/monitoring/alerts`, { json: alert('app01', 'cpu 100%') });
    expect(unreachable.status).toBe(503);
    expect(unreachable.json.error).toEqual({ status: 503, code: '101503', message: 'the asset register cannot be reached right now' });
    expect(h.sim.db.count('incident')).toBe(incidents);
  });

  it('still answers with the incident, notified false, when the chat webhook is down', async () => {
    const server = await serveExample({ chatWebhookUrl: `${await refusedUrl()}/hooks/ops` });
    const res = await call(`${server.url}/monitoring/alerts`, { json: alert('mail01', 'queue 5000 messages', 'warning') });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ action: 'created', ci: 'email server-01', notified: false });
    expect(openMonitoringIncidents('email server-01').map((r) => r.number)).toEqual([res.json.incident]);
    expect(openMonitoringIncidents('email server-01')[0]).toMatchObject({ priority: '3' });
  });

  it('answers 502 with ServiceNow status when ServiceNow refuses, and never shows the password', async () => {
    const server = await serveExample({ password: 'wrong-password-17' });
    const res = await call(`${server.url}/monitoring/alerts`, { json: alert('vpn-gw-01', 'tunnel down') });
    expect(res.status).toBe(502);
    expect(res.json.error.servicenowStatus).toBe(401);
    expect(res.text).not.toContain('wrong-password-17');
    expect(JSON.stringify(server.logs)).not.toContain('wrong-password-17');
  });
});
