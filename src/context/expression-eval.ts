// Evaluates compiled expression nodes against a MessageContext. Values are returned as they are
// (arrays and objects by reference, not copied or stringified); anything missing is undefined.
import type { ExprNode } from './expression-ast.js';
import type { FilterNode } from './expression-parser.js';
import { applySteps, type FilterCondition } from './json-path.js';
import type { MessageContext } from './message-context.js';
import { isElementNode, payloadKind, xmlPayloadAsJson } from './xml/message.js';
import { serializeNode } from './xml/dom.js';

export function evaluateNode(node: ExprNode, ctx: MessageContext, current?: unknown): unknown {
  switch (node.kind) {
    case 'current':
      return current;
    case 'literal':
      return node.value;
    case 'payload':
      return jsonPayload(ctx);
    case 'variable':
      return ctx.variables.get(node.name);
    case 'property': {
      const name = evaluateNode(node.name, ctx, current);
      if (typeof name !== 'string') return undefined;
      return ctx.getProperty(name, node.scope);
    }
    case 'templateParam': {
      const name = evaluateNode(node.name, ctx);
      return typeof name === 'string' ? ctx.templateParams?.get(name) : undefined;
    }
    case 'path': {
      const base = evaluateNode(node.base, ctx, current);
      if (base === undefined) return undefined;
      return applySteps(base, node.steps, (condition: FilterCondition, item: unknown) => truthy(evaluateNode((condition as FilterNode).node, ctx, item)));
    }
    case 'unary': {
      const v = evaluateNode(node.operand, ctx, current);
      return node.op === '!' ? !truthy(v) : -toNumber(v);
    }
    case 'conditional':
      return truthy(evaluateNode(node.test, ctx, current)) ? evaluateNode(node.then, ctx, current) : evaluateNode(node.otherwise, ctx, current);
    case 'binary':
      return binary(node, ctx, current);
    case 'call':
      return callFunction(node.name, node.args.map((a) => evaluateNode(a, ctx, current)));
    case 'xpath':
      return node.xpath.value(ctx);
  }
}

/** A filter condition: XPath's boolean() for an XPath expression, truthy() (where "false" is false) otherwise. */
export function conditionHolds(node: ExprNode, ctx: MessageContext): boolean {
  return node.kind === 'xpath' ? node.xpath.test(ctx) : truthy(evaluateNode(node, ctx));
}

/** The payload as JSON: an XML payload converted as MI does for json-eval(); a text payload has no JSON paths. */
function jsonPayload(ctx: MessageContext): unknown {
  if (typeof ctx.payload !== 'string' || /json/i.test(ctx.contentType)) return ctx.payload;
  return payloadKind(ctx) === 'xml' ? xmlPayloadAsJson(ctx) : undefined;
}

function binary(node: Extract<ExprNode, { kind: 'binary' }>, ctx: MessageContext, current: unknown): unknown {
  if (node.op === '&&') return truthy(evaluateNode(node.left, ctx, current)) && truthy(evaluateNode(node.right, ctx, current));
  if (node.op === '||') return truthy(evaluateNode(node.left, ctx, current)) || truthy(evaluateNode(node.right, ctx, current));
  const left = evaluateNode(node.left, ctx, current);
  const right = evaluateNode(node.right, ctx, current);
  switch (node.op) {
    case '==':
      return looseEqual(left, right);
    case '!=':
      return !looseEqual(left, right);
    case '<':
    case '<=':
    case '>':
    case '>=':
      return compare(node.op, left, right);
    case '+':
      if (typeof left === 'string' || typeof right === 'string') return asText(left) + asText(right);
      return toNumber(left) + toNumber(right);
    case '-':
      return toNumber(left) - toNumber(right);
    case '*':
      return toNumber(left) * toNumber(right);
    case '/':
      return toNumber(left) / toNumber(right);
    case '%':
      return toNumber(left) % toNumber(right);
  }
}

/**
 * Truth of a value in a condition. Unlike XPath's boolean(), the string "false" is false, because
 * ServiceNow and Synapse properties carry booleans as strings ("active": "false").
 */
export function truthy(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  if (typeof value === 'string') return value !== '' && value.toLowerCase() !== 'false';
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

/** Text form of a value for interpolation and string functions: objects and arrays as JSON, missing as ''. */
export function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  // An XML element (a property of type OM, an XPath node, a call's answer kept in a property) reads as its XML.
  if (isElementNode(value)) return serializeNode(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return Number.NaN;
}

function isNumeric(value: unknown): boolean {
  return typeof value === 'number' || (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)));
}

/** XPath-like equality: numbers compare as numbers ("1" = 1), booleans with their string forms, objects structurally. */
function looseEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || a === null || b === undefined || b === null) return (a ?? null) === (b ?? null);
  if (typeof a === 'number' || typeof b === 'number') return isNumeric(a) && isNumeric(b) && toNumber(a) === toNumber(b);
  if (typeof a === 'boolean' || typeof b === 'boolean') return String(a).toLowerCase() === String(b).toLowerCase();
  if (typeof a === 'object' || typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}

function compare(op: '<' | '<=' | '>' | '>=', a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined || a === null || b === null) return false;
  const numeric = isNumeric(a) && isNumeric(b);
  const x = numeric ? toNumber(a) : asText(a);
  const y = numeric ? toNumber(b) : asText(b);
  switch (op) {
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    case '>=':
      return x >= y;
  }
}

function callFunction(name: string, args: unknown[]): unknown {
  const [a, b] = args;
  switch (name) {
    case 'true':
      return true;
    case 'false':
      return false;
    case 'boolean':
      return truthy(a);
    case 'not':
      return !truthy(a);
    case 'string':
      return asText(a);
    case 'number':
    case 'float':
      return toNumber(a);
    case 'integer':
      return Math.trunc(toNumber(a));
    case 'string-length':
      return asText(a).length;
    case 'length':
      if (Array.isArray(a) || typeof a === 'string') return a.length;
      if (a !== null && typeof a === 'object') return Object.keys(a).length;
      return 0;
    case 'concat':
      return args.map(asText).join('');
    case 'contains':
      return Array.isArray(a) ? a.some((item) => looseEqual(item, b)) : asText(a).includes(asText(b));
    case 'starts-with':
    case 'startsWith':
      return asText(a).startsWith(asText(b));
    case 'endsWith':
      return asText(a).endsWith(asText(b));
    case 'toUpper':
    case 'upper-case':
      return asText(a).toUpperCase();
    case 'toLower':
    case 'lower-case':
      return asText(a).toLowerCase();
    case 'trim':
      return asText(a).trim();
    case 'exists':
      return a !== undefined;
    case 'isString':
      return typeof a === 'string';
    case 'isNumber':
      return typeof a === 'number';
    case 'isArray':
      return Array.isArray(a);
    case 'isObject':
      return a !== null && typeof a === 'object' && !Array.isArray(a);
    default:
      // The parser only lets known names through; reaching here is a programming error.
      throw new Error(`function ${name}() has no implementation`);
  }
}
