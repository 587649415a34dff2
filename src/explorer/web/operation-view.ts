// One operation's page: its form, the request it would send (updated as the form changes), Send, the response
// (status, time, headers, records as a table, JSON), all-pages reads streamed with a progress count and
// downloadable as NDJSON or CSV, and the same call as samples.
import type { CatalogueView, ErrorView, OperationView, PreviewView, SendView, StreamLine } from '../api-types.js';
import { ApiError, ndjson, postJson } from './api.js';
import { clear, copyButton, h, jsonBlock } from './dom.js';
import { generateForm, type GeneratedForm } from './form.js';
import { download, recordTable, recordsOf, toCsv, toNdjson } from './records.js';
import { samples } from './samples.js';

export function operationView(root: HTMLElement, catalogue: CatalogueView, op: OperationView, connectionId: () => string): void {
  const previewOut = h('div', { class: 'preview', 'aria-live': 'polite' });
  const responseOut = h('section', { class: 'response', 'aria-labelledby': 'response-title', 'aria-live': 'polite' });
  const samplesOut = h('div', { class: 'samples' });
  const problemsOut = h('p', { class: 'problems', role: 'status' });
  const send = h('button', { type: 'button', id: 'send', class: 'primary' }, 'Send');
  const stop = h('button', { type: 'button', id: 'stop', hidden: true }, 'Stop');
  let abort: AbortController | undefined;
  let previewSeq = 0;
  let timer: number | undefined;

  const allPages = (): boolean => op.paging?.allPagesParameter !== undefined && form.values()[op.paging.allPagesParameter] === 'true';
  const update = (): void => {
    const problems = form.problems();
    send.disabled = problems.length > 0;
    problemsOut.textContent = problems.length > 0 ? `Fix before sending: ${problems.join('; ')}` : '';
    send.textContent = allPages() ? 'Read all pages' : 'Send';
    renderSamples();
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void refreshPreview(), 120);
  };
  const form: GeneratedForm = generateForm(op, `op-${op.name}`, update);

  async function refreshPreview(): Promise<void> {
    const seq = ++previewSeq;
    if (form.problems().length > 0) {
      if (seq === previewSeq) clear(previewOut, h('p', { class: 'muted' }, 'The request appears here once the form is valid.'));
      return;
    }
    try {
      const { preview } = await postJson<{ preview: PreviewView }>('api/preview', { connection: connectionId(), operation: op.name, params: form.values() });
      if (seq !== previewSeq) return;
      clear(previewOut,
        preview.firstPageOf ? h('p', { class: 'muted' }, 'All pages: the first page is asked for like this; the next pages follow the paging strategy.') : null,
        h('p', { class: 'request-line' }, h('span', { class: `method m-${preview.method.toLowerCase()}` }, preview.method), ' ', h('code', { id: 'preview-url' }, preview.url)),
        h('details', {}, h('summary', {}, 'Headers'), headerTable(preview.headers)),
        preview.body !== null ? h('details', { open: true }, h('summary', {}, 'Body'), jsonBlock(preview.body, 'request body')) : null,
      );
    } catch (err) {
      if (seq !== previewSeq) return;
      clear(previewOut, errorBox(err));
    }
  }

  function renderSamples(): void {
    const s = samples(catalogue.connector.name, catalogue.init, catalogue.connection, op, form.values());
    clear(samplesOut,
      sample('CLI', 'sample-cli', s.cli),
      sample('TypeScript', 'sample-ts', s.typescript),
      sample('Flow XML', 'sample-xml', s.xml),
    );
  }

  send.addEventListener('click', () => void (allPages() ? readAll() : sendOnce()));
  stop.addEventListener('click', () => abort?.abort());

  async function sendOnce(): Promise<void> {
    send.disabled = true;
    clear(responseOut, h('h3', { id: 'response-title' }, 'Response'), h('p', { class: 'muted' }, 'Sending…'));
    try {
      const answer = await postJson<{ result?: SendView; error?: ErrorView; timeMs?: number }>('api/send', { connection: connectionId(), operation: op.name, params: form.values() });
      if (answer.error) {
        clear(responseOut, h('h3', { id: 'response-title' }, 'Response'), statusLine(answer.error.status, answer.timeMs), errorBox(new ApiError(answer.error)));
        return;
      }
      const r = answer.result!;
      const records = recordsOf(r.payload, op.paging?.records ?? 'result');
      clear(responseOut,
        h('h3', { id: 'response-title' }, 'Response'),
        statusLine(r.status, r.timeMs, r.totalCount),
        records ? recordTable(records, `${records.length} record${records.length === 1 ? '' : 's'}`) : null,
        h('details', { open: !records }, h('summary', {}, 'JSON'), jsonBlock(r.payload, 'response JSON')),
        h('details', {}, h('summary', {}, 'Headers'), headerTable(r.headers)),
      );
    } catch (err) {
      clear(responseOut, h('h3', { id: 'response-title' }, 'Response'), errorBox(err));
    } finally {
      send.disabled = form.problems().length > 0;
    }
  }

  async function readAll(): Promise<void> {
    abort = new AbortController();
    send.disabled = true;
    stop.hidden = false;
    const records: Record<string, unknown>[] = [];
    const progress = h('p', { id: 'progress', role: 'status' }, 'Reading…');
    const meter = h('progress', { id: 'progress-bar', max: 1, value: 0, 'aria-label': 'records read' });
    const table = h('div');
    const downloads = h('p', { class: 'downloads' });
    clear(responseOut, h('h3', { id: 'response-title' }, 'All pages'), progress, meter, downloads, table);
    let total: number | undefined;
    let lastDraw = 0;
    const draw = (force: boolean): void => {
      const now = performance.now();
      if (!force && now - lastDraw < 100) return;
      lastDraw = now;
      progress.textContent = `${records.length}${total !== undefined ? ` of ${total}` : ''} records`;
      if (total) meter.value = Math.min(1, records.length / total);
    };
    try {
      for await (const line of ndjson('api/stream', { connection: connectionId(), operation: op.name, params: form.values() }, abort.signal)) {
        const l = line as StreamLine;
        if ('record' in l) {
          records.push(l.record as Record<string, unknown>);
          draw(false);
        } else if ('progress' in l) {
          total = l.progress.total;
          draw(false);
        } else if ('done' in l) {
          total = l.done.total ?? records.length;
          draw(true);
          progress.textContent = `${l.done.records} records in ${l.done.pages} page${l.done.pages === 1 ? '' : 's'}, ${Math.round(l.done.timeMs)} ms`;
          meter.value = 1;
        } else if ('error' in l) {
          responseOut.append(errorBox(new ApiError(l.error)));
        }
      }
    } catch (err) {
      if (!abort.signal.aborted) responseOut.append(errorBox(err));
      else progress.textContent = `Stopped after ${records.length} records`;
    } finally {
      stop.hidden = true;
      send.disabled = form.problems().length > 0;
    }
    const base = `${op.name}-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '')}`;
    clear(downloads,
      h('button', { type: 'button', id: 'download-ndjson', onclick: () => download(`${base}.ndjson`, 'application/x-ndjson', toNdjson(records)) }, 'Download NDJSON'),
      ' ',
      h('button', { type: 'button', id: 'download-csv', onclick: () => download(`${base}.csv`, 'text/csv', toCsv(records)) }, 'Download CSV'),
    );
    clear(table, recordTable(records, `${records.length} records`));
  }

  clear(root,
    h('h2', { id: 'op-title', tabindex: -1 }, op.name, op.aliases.length > 0 ? h('small', {}, ` (also ${op.aliases.join(', ')})`) : null),
    h('p', {}, op.description, op.call ? [' ', h('code', {}, op.call)] : null),
    h('div', { class: 'columns' },
      h('section', { 'aria-label': 'parameters' }, h('form', { onsubmit: (e: Event) => e.preventDefault() }, form.element)),
      h('div', { class: 'side' },
        h('section', { 'aria-labelledby': 'preview-title' }, h('h3', { id: 'preview-title' }, 'Request'), previewOut, problemsOut, h('p', { class: 'actions' }, send, ' ', stop)),
        responseOut,
        h('section', { 'aria-labelledby': 'samples-title' }, h('h3', { id: 'samples-title' }, 'Samples'), samplesOut),
      ),
    ),
  );
  update();
}

function sample(title: string, id: string, text: string): HTMLElement {
  return h('details', { class: 'sample' }, h('summary', {}, title), h('pre', { id, tabindex: 0 }, text), copyButton(() => text, title));
}

function statusLine(status: number | undefined, timeMs: number | undefined, totalCount?: number): HTMLElement {
  const ok = status !== undefined && status < 400;
  return h('p', { class: 'status-line' },
    h('span', { id: 'status', class: `status ${ok ? 'ok' : 'bad'}` }, status !== undefined ? `HTTP ${status}` : 'no answer'),
    timeMs !== undefined ? h('span', { id: 'time' }, ` ${Math.round(timeMs * 10) / 10} ms`) : null,
    totalCount !== undefined ? h('span', {}, ` · ${totalCount} matching`) : null,
  );
}

function headerTable(headers: Record<string, string>): HTMLElement {
  return h('table', { class: 'headers' }, h('tbody', {}, Object.entries(headers).map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, k), h('td', {}, v)))));
}

export function errorBox(err: unknown): HTMLElement {
  const e: ErrorView = err instanceof ApiError ? err.error : { code: 'PAGE_ERROR', message: err instanceof Error ? err.message : String(err) };
  return h('div', { class: 'error', role: 'alert' }, h('strong', {}, e.code), ' ', e.message, e.detail ? h('pre', {}, typeof e.detail === 'string' ? e.detail : JSON.stringify(e.detail, null, 2)) : null);
}
