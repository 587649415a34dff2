// The Flows tab: pick a flow file and sequence of the served folder, run it with a payload, and see the run as a
// list of steps: each mediator with its time, the properties it set, the payload before and after, the connector
// call it made and its status, and the fault path when one was taken.
import type { FlowFileView, FlowTrace, TraceStep } from '../api-types.js';
import { getJson, postJson } from './api.js';
import { clear, h, jsonBlock } from './dom.js';
import { errorBox } from './operation-view.js';

export async function flowsView(root: HTMLElement, connectionId: () => string): Promise<void> {
  const { flows } = await getJson<{ flows: FlowFileView[] }>('api/flows');
  if (flows.length === 0) {
    clear(root, h('h2', {}, 'Flows'), h('p', {}, 'No flow files (*.xml with sequences) in the served folder.'));
    return;
  }
  const fileSelect = h('select', { id: 'flow-file' }, flows.map((f) => h('option', { value: f.file }, f.file)));
  const sequenceSelect = h('select', { id: 'flow-sequence' });
  const payload = h('textarea', { id: 'flow-payload', rows: 5, spellcheck: 'false', placeholder: '{ "optional": "JSON or text payload" }' });
  const properties = h('textarea', { id: 'flow-properties', rows: 2, spellcheck: 'false', placeholder: 'name=value, one a line (the connection parameters are set already)' });
  const run = h('button', { type: 'button', id: 'flow-run', class: 'primary' }, 'Run flow');
  const out = h('section', { id: 'flow-result', 'aria-live': 'polite', 'aria-label': 'flow run' });
  const fillSequences = (): void => {
    const f = flows.find((x) => x.file === fileSelect.value)!;
    clear(sequenceSelect, f.sequences.map((s) => h('option', { value: s, selected: s === f.defaultSequence }, s)));
  };
  fileSelect.addEventListener('change', fillSequences);
  fillSequences();
  run.addEventListener('click', async () => {
    run.disabled = true;
    clear(out, h('p', { class: 'muted' }, 'Running…'));
    try {
      const props: Record<string, string> = {};
      for (const line of properties.value.split('\n')) {
        const at = line.indexOf('=');
        if (at > 0) props[line.slice(0, at).trim()] = line.slice(at + 1).trim();
      }
      const { trace } = await postJson<{ trace: FlowTrace }>('api/flows/run', { connection: connectionId(), file: fileSelect.value, sequence: sequenceSelect.value, payload: payload.value, properties: props });
      clear(out, traceView(trace));
    } catch (err) {
      clear(out, errorBox(err));
    } finally {
      run.disabled = false;
    }
  });
  clear(root,
    h('h2', {}, 'Flows'),
    h('p', {}, 'Runs a sequence of the served folder with the current connection; its parameters are set as properties of the same names ({$ctx:…}).'),
    h('div', { class: 'flow-form' },
      h('label', { for: 'flow-file' }, 'File'), fileSelect,
      h('label', { for: 'flow-sequence' }, 'Sequence'), sequenceSelect,
      h('label', { for: 'flow-payload' }, 'Payload'), payload,
      h('label', { for: 'flow-properties' }, 'Properties'), properties,
    ),
    h('p', { class: 'actions' }, run),
    out,
  );
}

function traceView(trace: FlowTrace): HTMLElement {
  const outcome = h('p', { id: 'flow-outcome', class: `status ${trace.outcome === 'fault' ? 'bad' : 'ok'}` },
    `${trace.outcome} in ${Math.round(trace.durationMs)} ms, ${trace.steps.length} steps`,
    trace.error ? ` — ${trace.error.code}: ${trace.error.message}` : '');
  const faults = trace.faults.map((f) => h('p', { class: 'fault-note' }, `Fault in '${f.sequence}' (${f.error.code}: ${f.error.message}) → fault sequence '${f.faultSequence}'`));
  const steps = h('ol', { id: 'flow-steps', class: 'steps' }, trace.steps.map((s) => stepView(s)));
  return h('div', {}, outcome, faults, steps, h('details', {}, h('summary', {}, 'Final payload'), jsonBlock(trace.payload, 'final payload')));
}

function stepView(s: TraceStep): HTMLElement {
  const props = Object.entries(s.propertiesSet);
  const classes = ['step', `outcome-${s.outcome}`, s.inFaultPath ? 'fault-path' : ''].filter(Boolean).join(' ');
  return h('li', { class: classes, style: `margin-left: ${s.depth * 1.25}rem`, 'data-kind': s.kind },
    h('div', { class: 'step-head' },
      h('code', { class: 'step-label' }, s.label),
      h('span', { class: 'step-time' }, `${s.durationMs} ms`),
      s.call ? h('span', { class: `call ${s.call.status !== undefined && s.call.status < 400 ? 'ok' : 'bad'}` }, `${s.call.operation} → ${s.call.status ?? s.call.error?.code ?? '?'}`) : null,
      s.inFaultPath ? h('span', { class: 'badge fault' }, 'fault path') : null,
      s.outcome !== 'ok' ? h('span', { class: `badge ${s.outcome}` }, s.outcome) : null,
      h('span', { class: 'step-where' }, `${s.sequence}:${s.line}`),
    ),
    s.error ? h('p', { class: 'step-error' }, `${s.error.code}: ${s.error.message}`) : null,
    props.length > 0 || s.propertiesRemoved.length > 0
      ? h('p', { class: 'step-props' }, 'set ', props.map(([k, v], i) => [i > 0 ? ', ' : '', h('code', {}, `${k} = ${typeof v === 'string' ? v : JSON.stringify(v)}`)]).flat(), s.propertiesRemoved.length > 0 ? ` removed ${s.propertiesRemoved.join(', ')}` : '')
      : null,
    JSON.stringify(s.payloadBefore) !== JSON.stringify(s.payloadAfter)
      ? h('details', {}, h('summary', {}, 'payload before / after'), h('div', { class: 'before-after' }, jsonBlock(s.payloadBefore, 'payload before'), jsonBlock(s.payloadAfter, 'payload after')))
      : null,
  );
}
