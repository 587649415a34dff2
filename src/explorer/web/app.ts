// The explorer page: the operations (grouped by the API they call, searchable), the connection, and the flows.
// Plain DOM; everything comes from this server, so it works offline.
import type { CatalogueView, ConnectionView, OperationView } from '../api-types.js';
import { getJson, postJson } from './api.js';
import { byId, clear, h } from './dom.js';
import { generateForm } from './form.js';
import { flowsView } from './flows-view.js';
import { errorBox, operationView } from './operation-view.js';

let catalogue: CatalogueView;
const connectionId = (): string => catalogue.connection.id;

async function boot(): Promise<void> {
  catalogue = await getJson<CatalogueView>('api/catalogue');
  byId('connector').textContent = `${catalogue.connector.name} ${catalogue.connector.version}`;
  showConnection(catalogue.connection);
  renderNav('');
  byId<HTMLInputElement>('search').addEventListener('input', (e) => renderNav((e.target as HTMLInputElement).value));
  byId('connection-button').addEventListener('click', () => connectionPanel());
  window.addEventListener('hashchange', route);
  route();
  performance.mark('explorer-rendered');
  document.body.dataset['ready'] = 'true';
}

function renderNav(filter: string): void {
  const f = filter.trim().toLowerCase();
  const match = (op: OperationView): boolean => f === '' || op.name.toLowerCase().includes(f) || op.description.toLowerCase().includes(f) || op.aliases.some((a) => a.toLowerCase().includes(f));
  const groups = catalogue.groups.map((g) => ({ name: g.name, ops: g.operations.filter(match) })).filter((g) => g.ops.length > 0);
  clear(byId('operations'),
    groups.map((g) => h('section', { class: 'group' },
      h('h2', {}, g.name),
      h('ul', {}, g.ops.map((op) => h('li', {}, h('a', { href: `#op/${op.name}`, title: op.description, 'aria-current': location.hash === `#op/${op.name}` ? 'page' : undefined }, op.name)))))),
    groups.length === 0 ? h('p', { class: 'muted' }, 'No operation matches.') : null,
    catalogue.flows ? h('section', { class: 'group' }, h('h2', {}, 'Flows'), h('ul', {}, h('li', {}, h('a', { href: '#flows', id: 'flows-link' }, 'Run a flow')))) : null,
  );
}

function route(): void {
  const main = byId('view');
  const hash = decodeURIComponent(location.hash.slice(1));
  for (const a of document.querySelectorAll('#operations a')) {
    if (a.getAttribute('href') === `#${hash}`) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (hash === 'flows') {
    void flowsView(main, connectionId).catch((err: unknown) => clear(main, errorBox(err)));
    return;
  }
  const name = hash.startsWith('op/') ? hash.slice(3) : '';
  const op = catalogue.groups.flatMap((g) => g.operations).find((o) => o.name === name);
  if (op) {
    operationView(main, catalogue, op, connectionId);
    byId('op-title').focus?.();
    return;
  }
  clear(main,
    h('h2', {}, catalogue.connector.name),
    h('p', {}, catalogue.connector.description),
    h('p', {}, 'Pick an operation on the left: fill its form, watch the request it would send, send it and read the answer, or copy the same call for the CLI, TypeScript or a flow.'),
  );
}

function showConnection(view: ConnectionView): void {
  byId('connection-label').textContent = view.label;
}

function connectionPanel(): void {
  const dialog = byId<HTMLDialogElement>('connection-dialog');
  const body = byId('connection-form');
  const message = h('div', { 'aria-live': 'polite' });
  const form = generateForm(catalogue.init, 'init', () => undefined, catalogue.connection.embeddedSimulator ? {} : catalogue.connection.values);
  const submit = h('button', { type: 'submit', class: 'primary', id: 'connect' }, 'Connect');
  const cancel = h('button', { type: 'button', onclick: () => dialog.close() }, 'Cancel');
  const el = h('form', { method: 'dialog' }, h('h2', {}, 'Connection'), h('p', {}, catalogue.init.description), form.element, message, h('p', { class: 'actions' }, submit, ' ', cancel));
  el.addEventListener('submit', async (e) => {
    e.preventDefault();
    const problems = form.problems();
    if (problems.length > 0) {
      clear(message, h('p', { class: 'error', role: 'alert' }, `Fix: ${problems.join('; ')}`));
      return;
    }
    try {
      const { connection } = await postJson<{ connection: ConnectionView }>('api/connection', { values: form.values() });
      catalogue.connection = connection;
      showConnection(connection);
      // The secrets typed in are not kept in the page once the server has them.
      for (const input of el.querySelectorAll<HTMLInputElement>('input[type=password]')) input.value = '';
      dialog.close();
      route();
    } catch (err) {
      clear(message, errorBox(err));
    }
  });
  clear(body, el);
  dialog.showModal();
}

boot().catch((err: unknown) => clear(byId('view'), errorBox(err)));
