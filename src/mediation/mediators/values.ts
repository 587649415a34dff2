// Evaluating `value=` / `expression=` pairs and converting to a property type, as the property mediator does.
import { ConnectorError } from '../../errors.js';
import { readNumber } from '../../number-rule.js';
import { asText, evaluateNode, type MessageContext } from '../../context/index.js';
import type { PropertyType, ValueOrExpression } from '../model.js';

export function evaluateSource(source: ValueOrExpression, ctx: MessageContext): unknown {
  // value= is a literal in Synapse: it is never evaluated, whatever it contains.
  return source.kind === 'value' ? source.value : evaluateNode(source.node, ctx);
}

/** Converts to the declared type; `what` names the mediator for the error message. */
export function convert(value: unknown, type: PropertyType, what: string): unknown {
  if (value === undefined || value === null) return value;
  switch (type) {
    case 'STRING':
      return asText(value);
    case 'INTEGER':
    case 'LONG':
    case 'SHORT': {
      // The one number rule (decimal digits, finite, exact): '0x10', '1e3' and 'Infinity' are not integers here either.
      const read = readNumber(typeof value === 'number' ? value : asText(value), 'integer');
      if (!read.ok) throw conversionError(value, type, what);
      return read.value;
    }
    case 'DOUBLE':
    case 'FLOAT': {
      const n = typeof value === 'number' ? value : Number(asText(value).trim());
      if (Number.isNaN(n) || asText(value).trim() === '') throw conversionError(value, type, what);
      return n;
    }
    case 'BOOLEAN':
      if (typeof value === 'boolean') return value;
      return asText(value).trim().toLowerCase() === 'true';
    case 'JSON':
      if (typeof value !== 'string') return value;
      try {
        return JSON.parse(value);
      } catch {
        throw conversionError(value, type, what);
      }
    case 'OM':
      return value;
  }
}

function conversionError(value: unknown, type: PropertyType, what: string): ConnectorError {
  const shown = asText(value);
  return new ConnectorError({
    code: 'SEQUENCE_ERROR',
    message: `${what}: cannot convert ${JSON.stringify(shown.length > 60 ? shown.slice(0, 60) + '...' : shown)} to ${type}`,
  });
}
