// Connector mediators: <servicenow.init> opens (or reuses) a pooled connection and keeps it on the
// message context; <servicenow.X> passes its parameter texts to connection.invoke, which evaluates each
// exactly once against the context (so a value read from a record is never evaluated as an expression).
import { createHash } from 'node:crypto';
import { ConnectorError } from '../errors.js';
import { evaluateValue, nameValueRecord, type JsonValue, type MessageContext } from '../context/index.js';
import type { Connection, Connector, OperationInfo } from '../invoke/types.js';
import type { ConnectorOperationMediator } from './model.js';

/** Where the current connection is kept: an operation-scope property, so `$ctx:` lookups never see it. */
export const CONNECTION_PROPERTY = 'snconnect.connection';

/** Parameters that belong to the editor or to WSO2 MI's connection naming, never sent to the runtime. */
const INIT_ONLY_NAMES = new Set(['name', 'connectionType']);

export class ConnectionPool {
  private readonly open = new Map<string, Connection>();

  constructor(private readonly connector: Connector) {}

  /** Evaluates init parameters and returns a connection, reusing one opened with the same parameters in this run. */
  connect(init: ConnectorOperationMediator, ctx: MessageContext): Connection {
    // An init written with literal values only (a served API's connection) is the same connection every time:
    // kept by the mediator itself, so a busy server does not re-evaluate and re-hash it per message.
    const constant = this.constant.get(init);
    if (constant) return constant;
    const conn = this.openFor(init, ctx);
    if (init.params.every((p) => !/[{$]/.test(p.raw))) this.constant.set(init, conn);
    return conn;
  }

  private constant = new WeakMap<ConnectorOperationMediator, Connection>();

  private openFor(init: ConnectorOperationMediator, ctx: MessageContext): Connection {
    const params = nameValueRecord();
    const declared = parameterNames(this.connector.describe('init'));
    for (const p of init.params) {
      const name = declared ? declared.get(p.name.toLowerCase()) : INIT_ONLY_NAMES.has(p.name) ? undefined : p.name;
      // Undeclared ones (MI's connection <name>, editor leftovers) are ignored, as for operations; validation warns.
      if (name === undefined) continue;
      const value = evaluateValue(p.raw, ctx);
      if (value === undefined || value === '') continue;
      params[name] = value;
    }
    // Keyed by a hash so that the map holds no password in clear.
    const key = createHash('sha256').update(JSON.stringify(Object.entries(params).sort())).digest('hex');
    let conn = this.open.get(key);
    if (!conn) {
      conn = this.connector.connect(params);
      this.open.set(key, conn);
    }
    return conn;
  }

  /** Retries made by the transports of the open connections (for a server's metrics). */
  retries(): number {
    let n = 0;
    for (const c of this.open.values()) n += c.transportStats?.().retries ?? 0;
    return n;
  }

  async closeAll(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    this.constant = new WeakMap();
    await Promise.allSettled(all.map((c) => c.close()));
  }
}

/**
 * Parameter values for invoke: each declared parameter's text evaluated against the context here, once.
 * The runtime never evaluates expressions itself, so data passed to invoke() by a library caller (a record
 * value that happens to read `{$ctx:password}`) can never be turned into a lookup of a secret.
 * Undeclared names are ignored, as WSO2 does, and reported by validation.
 */
export function operationParams(m: ConnectorOperationMediator, info: OperationInfo | undefined, ctx: MessageContext): Record<string, unknown> {
  const declared = parameterNames(info);
  const stringTyped = info ? stringParameters(info) : undefined;
  const out = nameValueRecord();
  for (const p of m.params) {
    const name = declared ? declared.get(p.name.toLowerCase()) : p.name;
    if (name === undefined || p.raw === '') continue;
    const value = evaluateValue(p.raw, ctx);
    // In WSO2 an expression's value is text: json-eval of an object gives its JSON. A string parameter gets that.
    const pattern = stringTyped?.get(name);
    out[name] = value !== null && typeof value === 'object' && pattern !== undefined ? objectAsText(value, pattern) : value;
  }
  return out;
}

/**
 * An object for a text parameter: as `name=value&...` when the parameter's pattern asks for such pairs (the WSO2
 * docs send `"keyValuePairs": {"active": "true"}`), else its JSON text (what json-eval of an object gives in WSO2).
 */
function objectAsText(value: object, pattern: string): string {
  if (!Array.isArray(value) && pattern !== '') {
    const entries = Object.entries(value as Record<string, unknown>);
    const pairs = entries.map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join('&');
    if (entries.length > 0 && new RegExp(pattern).test(pairs)) return pairs;
  }
  return JSON.stringify(value);
}

/** overwriteBody: explicit value if given, else false with a responseVariable and true without (WSO2 MI 4.4). */
export function overwriteBodyOf(m: ConnectorOperationMediator, ctx: MessageContext): boolean {
  if (m.overwriteBody === undefined || m.overwriteBody === '') return m.responseVariable === undefined;
  const value = evaluateValue(m.overwriteBody, ctx);
  return value === true || String(value).toLowerCase() === 'true';
}

/** faultOnErrorStatus="true" on the call (an expression may decide): ServiceNow's error statuses raise faults. */
export function faultOnErrorStatusOf(m: ConnectorOperationMediator, ctx: MessageContext): boolean {
  if (m.faultOnErrorStatus === undefined || m.faultOnErrorStatus === '') return false;
  const value = evaluateValue(m.faultOnErrorStatus, ctx);
  return value === true || String(value).toLowerCase() === 'true';
}

/**
 * ServiceNow answered 4xx/5xx: as in WSO2, the answer becomes the message (or the responseVariable) with its status
 * in HTTP_SC, and the flow goes on. The ERROR_* properties the invocation set are removed: nothing faulted.
 */
export function answerWithErrorStatus(m: ConnectorOperationMediator, ctx: MessageContext, err: ConnectorError, overwriteBody: boolean): void {
  const status = err.status ?? 500;
  const body = (err.response?.body ?? '') as JsonValue;
  for (const name of ['ERROR_CODE', 'ERROR_MESSAGE', 'ERROR_DETAIL']) ctx.removeProperty(name);
  ctx.setProperty('HTTP_SC', status, 'axis2');
  if (overwriteBody) {
    ctx.payload = body;
    ctx.contentType = typeof body === 'string' ? 'text/plain' : 'application/json';
  }
  if (m.responseVariable) {
    ctx.variables.set(m.responseVariable, { payload: body, attributes: { statusCode: status }, headers: err.response?.headers ?? {} });
  }
}

export function connectionOf(ctx: MessageContext, m: ConnectorOperationMediator): Connection {
  const conn = ctx.getProperty(CONNECTION_PROPERTY, 'operation') as Connection | undefined;
  if (!conn) {
    throw new ConnectorError({
      code: 'SEQUENCE_ERROR',
      operation: m.operation,
      message: `${m.file}:${m.line}: <${m.element}> runs before any <${m.element.split('.')[0]}.init> and has no configKey`,
    });
  }
  return conn;
}

// Both tables are built once per operation (a served API calls the same operations for every request).
const namesByOperation = new WeakMap<OperationInfo, Map<string, string>>();
const stringsByOperation = new WeakMap<OperationInfo, Map<string, string>>();

/** Text-typed parameters and their patterns ('' when none). */
function stringParameters(info: OperationInfo): Map<string, string> {
  let strings = stringsByOperation.get(info);
  if (!strings) {
    strings = new Map(info.parameters.filter((p) => p.type === 'string').map((p) => [p.name, p.pattern ?? '']));
    stringsByOperation.set(info, strings);
  }
  return strings;
}

/** Declared parameter names by lower-case name, so `KeyValuePairs` finds `keyValuePairs`. */
function parameterNames(info: OperationInfo | undefined): Map<string, string> | undefined {
  if (!info) return undefined;
  const cached = namesByOperation.get(info);
  if (cached) return cached;
  const names = new Map<string, string>();
  namesByOperation.set(info, names);
  for (const p of info.parameters) {
    // Aliases are passed under their own name: the runtime resolves them (and rejects a name given twice).
    for (const alias of p.aliases ?? []) names.set(alias.toLowerCase(), alias);
    names.set(p.name.toLowerCase(), p.name);
  }
  return names;
}
