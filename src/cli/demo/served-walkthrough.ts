// The served part of `snconnect demo`: an <api> example served by a real FlowServer next to the demo's mocks (a
// SOAP asset register and a chat webhook), called over HTTP as a client would, with each call shown as the curl
// line that does the same, its answer, and what the mocks received meanwhile. What to send, what to expect and
// what to look up afterwards come from a walk-through file beside the example (examples/data/*-walkthrough.json),
// so this code stays free of any one system's names.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { request } from 'undici';
import { loadArtifacts } from '../../artifacts/index.js';
import type { Connector } from '../../invoke/types.js';
import type { Logger } from '../../logger.js';
import { startFlowServer, type FlowServer } from '../../serve/index.js';
import { startAssetRegister, type AssetRegisterMock } from './asset-register.js';
import { startChatWebhook, type ChatWebhookMock } from './chat-webhook.js';

export interface WalkthroughStep {
  /** One sentence: what this call shows. */
  say: string;
  method: 'POST' | 'GET';
  /** Path on the flow server, e.g. /alerts/... */
  path: string;
  body?: unknown;
  /** The status the example answers with; anything else counts as a failure of the demo. */
  expectStatus: number;
}

export interface Walkthrough {
  title: string;
  /** The artifact file served, relative to examples/. */
  file: string;
  steps: WalkthroughStep[];
  /** A read on the instance (simulator) at the end, to show the records the flow left there. */
  afterwards?: { say: string; path: string; fields: string[] };
}

/** The mocks and the properties that point a served example at them and at the instance. */
export interface DemoBackEnds {
  assetRegister: AssetRegisterMock;
  chat: ChatWebhookMock;
  properties: Record<string, string>;
  close(): Promise<void>;
}

export async function startDemoBackEnds(instance: { url: string; username: string; password: string }): Promise<DemoBackEnds> {
  const assetRegister = await startAssetRegister();
  const chat = await startChatWebhook();
  return {
    assetRegister,
    chat,
    properties: {
      serviceNowInstanceURL: instance.url,
      username: instance.username,
      password: instance.password,
      assetRegisterUrl: assetRegister.soapUrl,
      chatWebhookUrl: chat.hookUrl,
    },
    close: async () => {
      await Promise.all([assetRegister.close(), chat.close()]);
    },
  };
}

export async function readWalkthrough(file: string): Promise<Walkthrough> {
  return JSON.parse(await readFile(file, 'utf8')) as Walkthrough;
}

/** What the shell would show for the same call. */
export function curlLine(method: string, url: string, body: unknown): string {
  const data = body === undefined ? '' : ` -H 'Content-Type: application/json' -d '${JSON.stringify(body).replace(/'/g, `'\\''`)}'`;
  return `$ curl -s${method === 'GET' ? '' : ` -X ${method}`} ${url}${data}`;
}

/**
 * Serves the walk-through's example, makes its calls and prints each one; returns the number of calls whose status
 * was not the expected one (0: the example behaved as documented).
 */
export async function runWalkthrough(
  walk: Walkthrough,
  options: { examplesDir: string; connector: Connector; backEnds: DemoBackEnds; instance: { url: string; authorization: string }; logger: Logger; print: (line: string) => void },
): Promise<number> {
  const { backEnds, print } = options;
  const artifacts = await loadArtifacts([join(options.examplesDir, walk.file)], { connector: options.connector });
  const server: FlowServer = await startFlowServer({ artifacts, connector: options.connector, logger: options.logger, port: 0, properties: backEnds.properties });
  let failures = 0;
  try {
    print(`asset register (SOAP 1.1) ${backEnds.assetRegister.soapUrl}; chat webhook ${backEnds.chat.hookUrl}`);
    print(`served: ${server.url}${artifacts.apis.map((a) => a.context).join(', ')} (snconnect serve examples/${walk.file} -p assetRegisterUrl=... -p chatWebhookUrl=...)`);
    for (const step of walk.steps) {
      const sorBefore = backEnds.assetRegister.requests.length;
      const chatBefore = backEnds.chat.messages.length;
      print('');
      print(step.say);
      print(curlLine(step.method, server.url + step.path, step.body));
      const res = await request(server.url + step.path, {
        method: step.method,
        ...(step.body !== undefined ? { body: JSON.stringify(step.body), headers: { 'content-type': 'application/json' } } : {}),
      });
      const text = (await res.body.text()).trim();
      print(`HTTP ${res.statusCode} ${text}`);
      if (res.statusCode !== step.expectStatus) {
        failures++;
        print(`FAILED: expected HTTP ${step.expectStatus}`);
      }
      for (const r of backEnds.assetRegister.requests.slice(sorBefore)) {
        print(`  asset register received: ${r.method} ${r.path}${r.soapAction ? ` (SOAPAction ${r.soapAction})` : ''}${r.hostname ? ` hostname=${r.hostname}` : ''} -> ${r.status}`);
      }
      for (const m of backEnds.chat.messages.slice(chatBefore)) print(`  chat #${m.channel} received: ${m.text}`);
    }
    if (walk.afterwards) {
      print('');
      print(walk.afterwards.say);
      print(`$ curl -s -u admin:*** '${options.instance.url}${walk.afterwards.path}'`);
      const res = await request(options.instance.url + walk.afterwards.path, { headers: { authorization: options.instance.authorization, accept: 'application/json' } });
      const rows = ((await res.body.json()) as { result?: Array<Record<string, unknown>> }).result ?? [];
      for (const row of rows) print('  ' + walk.afterwards.fields.map((f) => `${f}: ${shown(row[f])}`).join(' | '));
      print(`  (${rows.length} record(s))`);
    }
  } finally {
    await server.close();
  }
  return failures;
}

function shown(value: unknown): string {
  if (value !== null && typeof value === 'object' && 'display_value' in value) return String((value as { display_value: unknown }).display_value);
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? '');
  return text.length > 90 ? text.slice(0, 87).replace(/\s+/g, ' ') + '...' : text.replace(/\s+/g, ' ');
}
