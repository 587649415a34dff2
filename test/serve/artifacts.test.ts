// The artifact loader: MI project layouts, loose folders, every kind, errors with file and line, --lenient,
// and the extension point other kinds plug into.
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildArtifacts, loadArtifacts, registerArtifactKind } from '../../src/artifacts/index.js';
import { loadConnector } from '../../src/invoke/index.js';
import type { Connector } from '../../src/invoke/types.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'wso2');
let connector: Connector;
beforeAll(async () => {
  connector = await loadConnector();
});

const xml = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n${body}\n`;

describe('artifact loader', () => {
  it('reads an MI project folder as it is: the API and the sequences it calls', async () => {
    const set = await loadArtifacts([join(fixtures, 'servicenow-example')], { connector });
    expect(set.files.map((f) => f.split(/[\\/]/).slice(-2).join('/'))).toEqual(['apis/ServiceNowAPI.xml', 'sequences/PostRecord.xml', 'sequences/ReadRecord.xml']);
    expect(set.apis).toHaveLength(1);
    expect(set.apis[0]).toMatchObject({ name: 'ServiceNowAPI', context: '/servicenow' });
    expect(set.apis[0]!.resources.map((r) => `${r.methods.join(',')} ${r.uriTemplate}`)).toEqual(['POST /postRecord', 'POST /readRecord']);
    expect(set.flow.sequences.has('PostRecord')).toBe(true);
    // The docs' editor attributes (trace=) are known; sysparmView etc. are real parameters: no warnings.
    expect(set.warnings).toEqual([]);
  });

  it('loads a proxy, a task, an endpoint, a template and local entries from one <definitions> file', () => {
    const set = buildArtifacts(
      [
        {
          file: 'all.xml',
          text: xml(`<definitions xmlns="http://ws.apache.org/ns/synapse">
  <proxy name="Echo"><target><inSequence><respond/></inSequence><outSequence><send/></outSequence></target></proxy>
  <sequence name="tick"><log/></sequence>
  <task name="Ticker" class="org.apache.synapse.startup.tasks.MessageInjector" group="synapse.simple.quartz">
    <trigger interval="5" count="3"/>
    <property xmlns:task="http://www.wso2.org/products/wso2commons/tasks" name="injectTo" value="sequence"/>
    <property xmlns:task="http://www.wso2.org/products/wso2commons/tasks" name="sequenceName" value="tick"/>
    <property xmlns:task="http://www.wso2.org/products/wso2commons/tasks" name="message" value='{"run": true}'/>
  </task>
  <endpoint name="Backend"><http method="get" uri-template="http://127.0.0.1:9/x"/></endpoint>
  <localEntry key="greeting">hello</localEntry>
  <template name="t"><parameter name="p"/><sequence><log/></sequence></template>
</definitions>`),
        },
      ],
      { connector },
    );
    expect(set.proxies.map((p) => p.name)).toEqual(['Echo']);
    expect(set.tasks[0]).toMatchObject({ name: 'Ticker', trigger: { interval: 5, count: 3 }, message: { payload: '{"run": true}', contentType: 'application/json' } });
    expect(set.endpoints.get('Backend')?.address).toBe('http://127.0.0.1:9/x');
    expect(set.localValues.get('greeting')).toBe('hello');
    expect(set.flow.templates.has('t')).toBe(true);
  });

  it('reports unknown kinds, missing sequences and unknown mediators with file and line; --lenient loads the rest', () => {
    const sources = [
      { file: 'odd.xml', text: xml(`<cache name="x"/>`) },
      { file: 'api.xml', text: xml(`<api name="A" context="/a">\n  <resource methods="GET" uri-template="/x" inSequence="missing"/>\n  <resource methods="GET" uri-template="/y"><inSequence><throttle/><respond/></inSequence></resource>\n</api>`) },
    ];
    expect(() => buildArtifacts(sources, { connector })).toThrow(
      /api\.xml:3: no sequence named 'missing'[\s\S]*api\.xml:4: unknown mediator <throttle>[\s\S]*odd\.xml:2: unknown artifact kind <cache>/,
    );
    const set = buildArtifacts(sources, { connector, lenient: true });
    expect(set.apis[0]!.resources).toHaveLength(2);
    expect(set.warnings.map((w) => `${w.file}:${w.line}`)).toEqual(['api.xml:3', 'api.xml:4', 'odd.xml:2']);
  });

  it('a registered kind receives its elements and can add background services', () => {
    registerArtifactKind('messageStore', (el, ctx) => {
      ctx.set.extensions.set('messageStore', [...(ctx.set.extensions.get('messageStore') ?? []), el.attributes.name]);
      ctx.set.services.push({ name: `store ${el.attributes.name}`, start() {}, stop() {} });
    });
    const set = buildArtifacts([{ file: 's.xml', text: xml(`<messageStore name="orders"/>`) }], { connector });
    expect(set.extensions.get('messageStore')).toEqual(['orders']);
    expect(set.services.map((s) => s.name)).toEqual(['store orders']);
  });

  it('a folder of loose files skips build metadata; a missing path is a clear error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'snconnect-artifacts-'));
    await mkdir(join(dir, 'apis'));
    await writeFile(join(dir, 'pom.xml'), '<project/>');
    await writeFile(join(dir, 'apis', 'a.xml'), xml(`<api name="A" context="/a"><resource methods="GET" url-mapping="/*"><inSequence><respond/></inSequence></resource></api>`));
    const set = await loadArtifacts([dir], { connector });
    expect(set.apis.map((a) => a.name)).toEqual(['A']);
    await expect(loadArtifacts([join(dir, 'nope')], { connector })).rejects.toThrow(/no such file or folder/);
  });
});
