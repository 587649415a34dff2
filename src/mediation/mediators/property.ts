// <property> (message/transport/axis2/operation scopes) and MI 4.4 <variable>.
import type { MessageContext } from '../../context/index.js';
import type { HeaderMediator, PropertyMediator, VariableMediator } from '../model.js';
import { convert, evaluateSource } from './values.js';

export function runProperty(m: PropertyMediator, ctx: MessageContext): void {
  if (m.action === 'remove') {
    ctx.removeProperty(m.name, m.scope);
    return;
  }
  const where = `${m.file}:${m.line}: property '${m.name}'`;
  const raw = m.inline !== undefined ? m.inline : m.source ? evaluateSource(m.source, ctx) : undefined;
  const value = convert(raw, m.inline !== undefined && m.type === 'STRING' ? 'JSON' : m.type, where);
  // A missing value leaves the property unset, so `{$ctx:name}` stays undefined and optional parameters stay unset.
  if (value === undefined) ctx.removeProperty(m.name, m.scope);
  else ctx.setProperty(m.name, value, m.scope);
}

export function runVariable(m: VariableMediator, ctx: MessageContext): void {
  if (m.action === 'remove') {
    ctx.variables.delete(m.name);
    return;
  }
  const value = convert(m.source ? evaluateSource(m.source, ctx) : undefined, m.type, `${m.file}:${m.line}: variable '${m.name}'`);
  if (value === undefined) ctx.variables.delete(m.name);
  else ctx.variables.set(m.name, value);
}

/** <header scope="transport">: sets or removes a transport header (sent with the response by <respond/>). */
export function runHeader(m: HeaderMediator, ctx: MessageContext): void {
  if (m.addressing) {
    const value = m.action === 'set' && m.source ? evaluateSource(m.source, ctx) : undefined;
    if (value === undefined || value === null) ctx.removeProperty(m.name);
    else ctx.setProperty(m.name, typeof value === 'string' ? value : JSON.stringify(value));
    return;
  }
  if (m.action === 'remove') {
    ctx.removeHeader(m.name);
    return;
  }
  const value = m.source ? evaluateSource(m.source, ctx) : undefined;
  if (value === undefined || value === null) ctx.removeHeader(m.name);
  else ctx.setHeader(m.name, typeof value === 'string' ? value : JSON.stringify(value));
}
