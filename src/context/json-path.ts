// The small JSONPath subset shared by `json-eval($...)` and the `${payload...}` paths:
// `$`, `.name`, `['name']`, `["name"]`, `[n]` (negative counts from the end), `[*]`, `.*` and `.length()`.
// A path is compiled once into steps and then applied to any value without re-parsing.

export type PathStep =
  | { type: 'key'; name: string }
  | { type: 'index'; index: number }
  | { type: 'wildcard' }
  | { type: 'length' }
  /** `[?(@.status == 'inserted')]`: keeps the items for which the condition holds; `@` is the item. */
  | { type: 'filter'; condition: FilterCondition };

/** A compiled filter condition; opaque here so that this file does not depend on the expression parser. */
export interface FilterCondition {
  readonly source: string;
}

/** Parses the text inside `[?( ... )]`; set by the expression parser (which owns the grammar). */
let filterParser: ((text: string) => FilterCondition) | undefined;
export function setFilterParser(parse: (text: string) => FilterCondition): void {
  filterParser = parse;
}

/** Decides whether one item passes a filter; given by the evaluator, which knows the context. */
export type FilterTest = (condition: FilterCondition, item: unknown) => boolean;

/** Thrown by the parsers in this folder; callers turn it into a ConnectorError naming the whole expression. */
export class ExpressionSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
    this.name = 'ExpressionSyntaxError';
  }
}

const DOT_NAME = /[^.[\]()\s'"]+/y;

/**
 * Parses the steps that follow a root (`$`, `payload`, ...) starting at `start`.
 * Stops at the first character that cannot continue a path and returns where it stopped,
 * so the expression parser can go on with operators after the path.
 */
export function parsePathSteps(text: string, start: number): { steps: PathStep[]; end: number } {
  const steps: PathStep[] = [];
  let i = start;
  for (;;) {
    const one = parsePathStep(text, i);
    if (!one) return { steps, end: i };
    steps.push(one.step);
    i = one.end;
  }
}

/** Parses one step at `i`, or returns undefined when the text there cannot continue a path. */
export function parsePathStep(text: string, i: number): { step: PathStep; end: number } | undefined {
  const ch = text[i];
  if (ch === '[') return parseBracket(text, i);
  if (ch !== '.') return undefined;
  if (text.startsWith('.length()', i)) return { step: { type: 'length' }, end: i + '.length()'.length };
  if (text[i + 1] === '*') return { step: { type: 'wildcard' }, end: i + 2 };
  DOT_NAME.lastIndex = i + 1;
  const m = DOT_NAME.exec(text);
  if (!m) throw new ExpressionSyntaxError('a name is expected after "."', i + 1);
  return { step: { type: 'key', name: m[0] }, end: DOT_NAME.lastIndex };
}

function parseBracket(text: string, open: number): { step: PathStep; end: number } {
  let i = open + 1;
  while (text[i] === ' ') i++;
  const ch = text[i];
  let step: PathStep;
  if (ch === '?' && text[i + 1] === '(') {
    const close = matchingParen(text, i + 1);
    if (close < 0) throw new ExpressionSyntaxError('"[?(" is not closed by ")]"', i);
    if (!filterParser) throw new ExpressionSyntaxError('filters are not available here', i);
    step = { type: 'filter', condition: filterParser(text.slice(i + 2, close)) };
    i = close + 1;
  } else if (ch === '*') {
    step = { type: 'wildcard' };
    i++;
  } else if (ch === "'" || ch === '"') {
    const { value, end } = readQuoted(text, i);
    step = { type: 'key', name: value };
    i = end;
  } else {
    const m = /-?\d+/y;
    m.lastIndex = i;
    const found = m.exec(text);
    if (!found) throw new ExpressionSyntaxError('expected a quoted name, an index or * inside [ ]', i);
    step = { type: 'index', index: Number(found[0]) };
    i = m.lastIndex;
  }
  while (text[i] === ' ') i++;
  if (text[i] !== ']') throw new ExpressionSyntaxError('missing "]"', i);
  return { step, end: i + 1 };
}

/** Index of the `)` matching the `(` at `open`, skipping quoted strings; -1 if none. */
function matchingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'" || ch === '"') {
      i = readQuoted(text, i).end - 1;
      continue;
    }
    if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
  }
  return -1;
}

/** Reads a '...' or "..." literal with backslash escapes; `end` is the index after the closing quote. */
export function readQuoted(text: string, start: number): { value: string; end: number } {
  const quote = text[start];
  let out = '';
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\\' && i + 1 < text.length) {
      const next = text[i + 1];
      out += next === 'n' ? '\n' : next === 't' ? '\t' : next;
      i += 2;
      continue;
    }
    if (ch === quote) return { value: out, end: i + 1 };
    out += ch;
    i++;
  }
  throw new ExpressionSyntaxError('unterminated string', start);
}

/** Compiles a whole JSONPath such as `$.result[0].sys_id`. */
export function parseJsonPath(path: string): PathStep[] {
  const text = path.trim();
  if (text[0] !== '$') throw new ExpressionSyntaxError('a JSONPath starts with "$"', 0);
  const { steps, end } = parsePathSteps(text, 1);
  if (end !== text.length) throw new ExpressionSyntaxError(`unexpected "${text.slice(end, end + 10)}"`, end);
  return steps;
}

/**
 * Applies compiled steps. A missing key or index gives undefined. After a wildcard the result is
 * the list of matches (JSONPath semantics), and the following steps apply to each match.
 */
export function applySteps(value: unknown, steps: readonly PathStep[], test?: FilterTest): unknown {
  let current: unknown = value;
  let many = false;
  for (const step of steps) {
    if (many) {
      const list = current as unknown[];
      if (step.type === 'length') {
        current = list.length;
        many = false;
        continue;
      }
      const next: unknown[] = [];
      for (const item of list) {
        if (step.type === 'filter') next.push(...children(item).filter((child) => test !== undefined && test(step.condition, child)));
        else if (step.type === 'wildcard') next.push(...children(item));
        else {
          const v = applyOne(item, step);
          if (v !== undefined) next.push(v);
        }
      }
      current = next;
      continue;
    }
    if (step.type === 'wildcard' || step.type === 'filter') {
      if (current === null || typeof current !== 'object') return undefined;
      const all = children(current);
      current = step.type === 'filter' ? all.filter((item) => test !== undefined && test(step.condition, item)) : all;
      many = true;
      continue;
    }
    current = applyOne(current, step);
    if (current === undefined) return undefined;
  }
  return current;
}

function applyOne(value: unknown, step: Exclude<PathStep, { type: 'wildcard' } | { type: 'filter' }>): unknown {
  switch (step.type) {
    case 'key':
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
      return Object.prototype.hasOwnProperty.call(value, step.name) ? (value as Record<string, unknown>)[step.name] : undefined;
    case 'index': {
      if (!Array.isArray(value)) return undefined;
      const i = step.index < 0 ? value.length + step.index : step.index;
      return value[i];
    }
    case 'length':
      if (Array.isArray(value) || typeof value === 'string') return value.length;
      if (value !== null && typeof value === 'object') return Object.keys(value).length;
      return undefined;
  }
}

function children(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value !== null && typeof value === 'object') return Object.values(value);
  return [];
}
