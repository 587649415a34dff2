// Service Catalog API: /api/sn_sc/servicecatalog/items[/{sys_id}[/order_now|/add_to_cart]], /cart,
// /cart/submit_order. Ordering creates a request (sc_request) and its requested items (sc_req_item), which the
// Table API then reads. Fulfilment is simulated: each Table API read of sc_req_item moves every open item ordered
// through this API one step on after answering (Open -> Work in Progress -> Closed Complete), so a flow that polls
// the request's items sees them reach a final state on its third read, without waiting.
import { errorReply, jsonReply, malformedBody, type Reply } from '../http/reply.js';
import type { RequestContext } from '../http/request-context.js';
import type { SimulatorState } from '../state.js';
import { formatGlideDateTime } from '../time.js';
import { QuerySyntaxError, intQuery, readJsonObject, rowsWhere, textValues, type Row } from './product-support.js';

/** ServiceNow's variable type numbers and their friendly names. */
const VARIABLE_TYPES: Record<string, string> = { '2': 'multi_line_text', '5': 'select_box', '6': 'single_line_text', '7': 'check_box' };

interface CartItem {
  cart_item_id: string;
  item: Row;
  quantity: number;
  variables: Record<string, string>;
  requestedFor: string;
}

export class ServiceCatalog {
  private readonly carts = new Map<string, { id: string; items: CartItem[] }>();
  /** Requested items created here, still being fulfilled. */
  private readonly open = new Set<string>();

  constructor(private readonly state: SimulatorState) {}

  /** `rest` is what follows /servicecatalog: /items, /items/{id}, /items/{id}/order_now, /cart, /cart/submit_order. */
  handle(ctx: RequestContext): Reply {
    const parts = (ctx.params.rest ?? '').split('/').filter((p) => p !== '');
    const m = ctx.method;
    if (parts[0] === 'items') {
      if (parts.length === 1) return m === 'GET' ? this.listItems(ctx) : methodNotAllowed();
      const item = this.state.db.get('sc_cat_item', parts[1]!);
      if (!item || item.active === 'false') return errorReply(404, 'Catalog item not found', `No active catalog item with sys_id ${parts[1]}`);
      if (parts.length === 2) return m === 'GET' ? jsonReply(200, { result: this.itemDocument(item, true) }) : methodNotAllowed();
      if (parts.length === 3 && parts[2] === 'order_now') return m === 'POST' ? this.orderNow(ctx, item) : methodNotAllowed();
      if (parts.length === 3 && parts[2] === 'add_to_cart') return m === 'POST' ? this.addToCart(ctx, item) : methodNotAllowed();
    }
    if (parts[0] === 'cart') {
      if (parts.length === 1) return m === 'GET' ? jsonReply(200, { result: this.cartDocument(ctx) }) : methodNotAllowed();
      if (parts.length === 2 && parts[1] === 'submit_order') return m === 'POST' ? this.submitOrder(ctx) : methodNotAllowed();
    }
    return errorReply(400, `Requested URI does not represent any resource: ${ctx.path}`, null);
  }

  /** Called after the Table API answered: a read of sc_req_item moves open items one fulfilment step on. */
  afterTableRead(ctx: RequestContext): void {
    if (ctx.method !== 'GET' || ctx.params.table !== 'sc_req_item' || this.open.size === 0) return;
    const db = this.state.db;
    for (const sysId of [...this.open]) {
      const row = db.get('sc_req_item', sysId);
      if (!row) {
        this.open.delete(sysId);
        continue;
      }
      if (row.state === '1') db.update('sc_req_item', sysId, { state: '2', stage: 'fulfillment' }, 'system');
      else {
        db.update('sc_req_item', sysId, { state: '3', stage: 'complete', active: 'false', closed_at: formatGlideDateTime(db.now()) }, 'system');
        this.open.delete(sysId);
        this.closeRequestWhenDone(row.request ?? '');
      }
    }
  }

  private listItems(ctx: RequestContext): Reply {
    const conditions = ['active=true'];
    const text = ctx.query.get('sysparm_text');
    if (text) conditions.push(`nameLIKE${text.replace(/\^/g, '^^')}^ORshort_descriptionLIKE${text.replace(/\^/g, '^^')}`);
    const category = ctx.query.get('sysparm_category');
    if (category) conditions.push(`category=${category.replace(/\^/g, '')}`);
    const catalog = ctx.query.get('sysparm_catalog');
    if (catalog) conditions.push(`sc_catalogs=${catalog.replace(/\^/g, '')}`);
    let rows: Row[];
    try {
      rows = rowsWhere(this.state, 'sc_cat_item', conditions.join('^') + '^ORDERBYorder');
    } catch (err) {
      if (err instanceof QuerySyntaxError) return errorReply(400, 'Invalid query', err.message);
      throw err;
    }
    const offset = intQuery(ctx, 'sysparm_offset', 0);
    const limit = intQuery(ctx, 'sysparm_limit', 10000) || 10000;
    return jsonReply(200, { result: rows.slice(offset, offset + limit).map((r) => this.itemDocument(r, false)) });
  }

  private itemDocument(item: Row, full: boolean): Record<string, unknown> {
    const db = this.state.db;
    const catalog = db.get('sc_catalog', item.sc_catalogs ?? '');
    const category = db.get('sc_category', item.category ?? '');
    const price = money(item.price ?? '0');
    const doc: Record<string, unknown> = {
      short_description: item.short_description ?? '',
      kb_article: '',
      icon: '',
      description: item.description ?? '',
      show_price: true,
      type: 'catalog_item',
      show_quantity: true,
      sys_class_name: 'sc_cat_item',
      picture: '',
      url: '',
      sys_id: item.sys_id,
      content_type: '',
      price,
      localized_price: price,
      price_currency: 'USD',
      local_currency: 'USD',
      catalogs: catalog ? [{ sys_id: catalog.sys_id, title: catalog.title }] : [],
      name: item.name ?? '',
      category: category ? { sys_id: category.sys_id, title: category.title } : {},
      order: Number(item.order || '0'),
    };
    if (full) {
      doc.variables = this.variablesOf(item.sys_id!).map((v) => ({
        label: v.question_text,
        type: Number(v.type),
        mandatory: v.mandatory === 'true',
        displayvalue: v.default_value ?? '',
        friendly_type: VARIABLE_TYPES[v.type ?? ''] ?? 'single_line_text',
        render_label: true,
        read_only: false,
        name: v.name,
        id: v.sys_id,
        value: v.type === '7' ? v.default_value === 'true' : (v.default_value ?? ''),
        help_text: '',
        max_length: 0,
      }));
      doc.ui_policy = [];
      doc.client_script = { onChange: [], onSubmit: [], onLoad: [] };
      doc.data_lookup = [];
    }
    return doc;
  }

  private variablesOf(itemSysId: string): Row[] {
    return rowsWhere(this.state, 'item_option_new', `cat_item=${itemSysId}^ORDERBYorder`);
  }

  /** The order's quantity, variables and requested-for user, or the 400 ServiceNow answers. */
  private readOrder(ctx: RequestContext, item: Row): Omit<CartItem, 'cart_item_id' | 'item'> | Reply {
    const body = readJsonObject(ctx);
    if (!body) return malformedBody();
    const quantity = Number(body['sysparm_quantity']);
    if (body['sysparm_quantity'] === undefined || !Number.isInteger(quantity) || quantity < 1) {
      return errorReply(400, 'Invalid quantity', 'sysparm_quantity must be a whole number of at least 1');
    }
    const variables = textValues(body['variables']);
    const missing = this.variablesOf(item.sys_id!).filter((v) => v.mandatory === 'true' && !variables[v.name ?? '']);
    if (missing.length > 0) return errorReply(400, 'Mandatory Variables are required', `Missing: ${missing.map((v) => v.name).join(', ')}`);
    const forId = typeof body['sysparm_requested_for'] === 'string' ? body['sysparm_requested_for'] : '';
    if (forId !== '' && !this.state.db.get('sys_user', forId)) return errorReply(400, 'Invalid requested_for', `No user with sys_id ${forId}`);
    return { quantity, variables, requestedFor: forId || this.callerSysId(ctx) };
  }

  private orderNow(ctx: RequestContext, item: Row): Reply {
    const order = this.readOrder(ctx, item);
    if ('status' in order) return order;
    const request = this.createRequest(ctx, [{ ...order, item }]);
    return jsonReply(200, { result: { sys_id: request.sys_id, number: request.number, request_number: request.number, request_id: request.sys_id, table: 'sc_request' } });
  }

  private addToCart(ctx: RequestContext, item: Row): Reply {
    const order = this.readOrder(ctx, item);
    if ('status' in order) return order;
    const cart = this.cartOf(ctx);
    cart.items.push({ ...order, item, cart_item_id: this.state.db.newSysId() });
    return jsonReply(200, { result: this.cartDocument(ctx) });
  }

  private submitOrder(ctx: RequestContext): Reply {
    const cart = this.cartOf(ctx);
    if (cart.items.length === 0) return errorReply(400, 'Cart is empty', 'Add items to the cart with add_to_cart before submitting the order');
    const request = this.createRequest(ctx, cart.items);
    this.carts.delete(this.cartKey(ctx));
    return jsonReply(200, { result: { request_number: request.number, request_id: request.sys_id } });
  }

  private cartKey(ctx: RequestContext): string {
    return ctx.user?.userName ?? '';
  }

  private cartOf(ctx: RequestContext): { id: string; items: CartItem[] } {
    let cart = this.carts.get(this.cartKey(ctx));
    if (!cart) {
      cart = { id: this.state.db.newSysId(), items: [] };
      this.carts.set(this.cartKey(ctx), cart);
    }
    return cart;
  }

  private cartDocument(ctx: RequestContext): Record<string, unknown> {
    const cart = this.cartOf(ctx);
    const subtotal = cart.items.reduce((sum, i) => sum + Number(i.item.price || '0') * i.quantity, 0);
    return {
      cart_id: cart.id,
      subtotal: money(String(subtotal)),
      items: cart.items.map((i) => ({
        catalog_item_id: i.item.sys_id,
        quantity: String(i.quantity),
        localized_price: money(i.item.price ?? '0'),
        price: money(i.item.price ?? '0'),
        item_name: i.item.name,
        cart_item_id: i.cart_item_id,
      })),
    };
  }

  private callerSysId(ctx: RequestContext): string {
    return rowsWhere(this.state, 'sys_user', `user_name=${(ctx.user?.userName ?? '').replace(/\^/g, '^^')}`)[0]?.sys_id ?? '';
  }

  private createRequest(ctx: RequestContext, items: ReadonlyArray<Omit<CartItem, 'cart_item_id'>>): Row {
    const db = this.state.db;
    const user = ctx.user?.userName;
    const caller = this.callerSysId(ctx);
    const total = items.reduce((sum, i) => sum + Number(i.item.price || '0') * i.quantity, 0);
    const first = items[0]!;
    const request = db.insert('sc_request', { requested_for: first.requestedFor, opened_by: caller, request_state: 'in_process', approval: 'approved', price: String(total), short_description: first.item.name ?? '' }, user).record;
    for (const i of items) {
      const ritm = db.insert(
        'sc_req_item',
        { request: request.sys_id!, cat_item: i.item.sys_id!, requested_for: i.requestedFor, opened_by: caller, quantity: String(i.quantity), state: '1', stage: 'request_approved', approval: 'approved', short_description: i.item.name ?? '', variables: JSON.stringify(i.variables) },
        user,
      ).record;
      this.open.add(ritm.sys_id!);
    }
    return request;
  }

  private closeRequestWhenDone(requestSysId: string): void {
    if (rowsWhere(this.state, 'sc_req_item', `request=${requestSysId}^active=true`).length > 0) return;
    if (this.state.db.get('sc_request', requestSysId)) this.state.db.update('sc_request', requestSysId, { request_state: 'closed_complete', active: 'false' }, 'system');
  }
}

const methodNotAllowed = (): Reply => errorReply(405, 'Method not Supported', 'Requested method is not supported by this resource');

/** Prices as the catalog shows them: "$1,100.00". */
function money(text: string): string {
  const n = Number(text) || 0;
  return '$' + n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}


