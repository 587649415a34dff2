// <log>: level simple/full/custom/headers with <property> children and an MI 4.4 <message>.
// Fields are redacted here as well as in the logger, because the embedding application may plug in its own.
import { asText, evaluateValue, isElementNode, type MessageContext } from '../../context/index.js';
import { redact, redactText, type Logger } from '../../logger.js';
import type { LogMediator } from '../model.js';
import { evaluateSource } from './values.js';

export function runLog(m: LogMediator, ctx: MessageContext, logger: Logger, sequence: string): void {
  const fields: Record<string, unknown> = {};
  for (const p of m.properties) {
    const value = evaluateSource(p.source, ctx);
    // An XML element is logged as its XML, as MI logs an OM property (not as the DOM object's fields).
    fields[p.name] = isElementNode(value) ? asText(value) : value;
  }
  if (m.level === 'simple' || m.level === 'full') {
    fields.sequence = sequence;
    fields.contentType = ctx.contentType;
  }
  if (m.level === 'headers' || m.level === 'full') fields.headers = Object.fromEntries(ctx.transportHeaders());
  if (m.level === 'full' || m.fullPayload) fields.payload = ctx.payload;
  const text = m.message !== undefined ? asText(evaluateValue(m.message, ctx)) : `${sequence} (${m.file}:${m.line})`;
  logger.log(m.category, redactText(text), redact(fields));
}
