// One parser for both expression styles a sequence can hold:
//  - the classic Synapse/XPath style used in attributes and `{...}` values: `$ctx:x`, `$trp:H`, `$axis2:x`,
//    `get-property('x')`, `json-eval($.a)`, `'text'`, `=`, `and`, `or`, `boolean()`, `not()` ...
//  - the body of a WSO2 MI Synapse expression `${...}`: `payload.a`, `vars.x.payload.y`, `props.x`,
//    `headers["H"]`, `==`, `&&`, `? :`, `length()`, `toUpper()` ...
// Both compile to the same nodes, so a filter may mix them. Written by hand (a Pratt parser) to stay
// small and give the position of a mistake.
import type { BinaryOperator, ExprNode } from './expression-ast.js';
import { ExpressionSyntaxError, parseJsonPath, parsePathStep, parsePathSteps, readQuoted, setFilterParser, type FilterCondition } from './json-path.js';
import type { PropertyScope } from './message-context.js';

const BINARY: { op: string; node: BinaryOperator; precedence: number; word?: boolean }[] = [
  { op: '||', node: '||', precedence: 2 },
  { op: 'or', node: '||', precedence: 2, word: true },
  { op: '&&', node: '&&', precedence: 3 },
  { op: 'and', node: '&&', precedence: 3, word: true },
  { op: '==', node: '==', precedence: 4 },
  { op: '!=', node: '!=', precedence: 4 },
  { op: '<=', node: '<=', precedence: 5 },
  { op: '>=', node: '>=', precedence: 5 },
  { op: '=', node: '==', precedence: 4 },
  { op: '<', node: '<', precedence: 5 },
  { op: '>', node: '>', precedence: 5 },
  { op: '+', node: '+', precedence: 6 },
  { op: '-', node: '-', precedence: 6 },
  { op: '*', node: '*', precedence: 7 },
  { op: '/', node: '/', precedence: 7 },
  { op: '%', node: '%', precedence: 7 },
];

/** Functions and how many arguments each takes ([min, max]). */
export const FUNCTIONS: Record<string, [number, number]> = {
  'get-property': [1, 2],
  boolean: [1, 1],
  not: [1, 1],
  string: [1, 1],
  number: [1, 1],
  integer: [1, 1],
  float: [1, 1],
  'string-length': [1, 1],
  length: [1, 1],
  concat: [1, 20],
  contains: [2, 2],
  'starts-with': [2, 2],
  startsWith: [2, 2],
  endsWith: [2, 2],
  toUpper: [1, 1],
  toLower: [1, 1],
  'upper-case': [1, 1],
  'lower-case': [1, 1],
  trim: [1, 1],
  exists: [1, 1],
  isString: [1, 1],
  isNumber: [1, 1],
  isArray: [1, 1],
  isObject: [1, 1],
  true: [0, 0],
  false: [0, 0],
};

const SIGIL_SCOPES: Record<string, PropertyScope> = { ctx: 'default', trp: 'transport', axis2: 'axis2', operation: 'operation' };
const SCOPE_NAMES: Record<string, PropertyScope> = {
  default: 'default',
  synapse: 'default',
  transport: 'transport',
  axis2: 'axis2',
  operation: 'operation',
};

const NAME = /[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z_][A-Za-z0-9_]*)*/y;
const SIGIL_NAME = /[A-Za-z0-9_.\-]+/y;
const NUMBER = /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** A filter condition is an expression node; json-path.ts only carries it. */
export interface FilterNode extends FilterCondition {
  readonly node: ExprNode;
}

setFilterParser((text: string): FilterNode => ({ source: text, node: parseExpressionText(text) }));

export function parseExpressionText(text: string): ExprNode {
  const parser = new Parser(text);
  const node = parser.expression(0);
  parser.skipSpace();
  if (!parser.atEnd()) throw new ExpressionSyntaxError(`unexpected "${text.slice(parser.pos, parser.pos + 12)}"`, parser.pos);
  return node;
}

class Parser {
  pos = 0;
  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  expression(minPrecedence: number): ExprNode {
    let left = this.unary();
    for (;;) {
      this.skipSpace();
      if (minPrecedence <= 1 && this.text[this.pos] === '?') {
        this.pos++;
        const then = this.expression(1);
        this.expect(':');
        const otherwise = this.expression(1);
        left = { kind: 'conditional', test: left, then, otherwise };
        continue;
      }
      const op = this.binaryOperator();
      if (!op || op.precedence <= minPrecedence) return left;
      this.pos += op.op.length;
      const right = this.expression(op.precedence);
      left = { kind: 'binary', op: op.node, left, right };
    }
  }

  private binaryOperator(): (typeof BINARY)[number] | undefined {
    for (const candidate of BINARY) {
      if (!this.text.startsWith(candidate.op, this.pos)) continue;
      if (candidate.word && /[A-Za-z0-9_]/.test(this.text[this.pos + candidate.op.length] ?? '')) continue;
      return candidate;
    }
    return undefined;
  }

  private unary(): ExprNode {
    this.skipSpace();
    const ch = this.text[this.pos];
    if (ch === '!' && this.text[this.pos + 1] !== '=') {
      this.pos++;
      return { kind: 'unary', op: '!', operand: this.unary() };
    }
    if (ch === '-') {
      this.pos++;
      return { kind: 'unary', op: '-', operand: this.unary() };
    }
    return this.postfix(this.primary());
  }

  private postfix(base: ExprNode): ExprNode {
    const { steps, end } = parsePathSteps(this.text, this.pos);
    if (steps.length === 0) return base;
    this.pos = end;
    return { kind: 'path', base, steps };
  }

  private primary(): ExprNode {
    this.skipSpace();
    const start = this.pos;
    const ch = this.text[this.pos];
    if (ch === undefined) throw new ExpressionSyntaxError('unexpected end of expression', this.pos);
    if (ch === '(') {
      this.pos++;
      const inner = this.expression(0);
      this.expect(')');
      return inner;
    }
    if (ch === "'" || ch === '"') {
      const { value, end } = readQuoted(this.text, this.pos);
      this.pos = end;
      return { kind: 'literal', value };
    }
    if (ch === '$') return this.sigil();
    if (ch === '@') {
      this.pos++;
      return { kind: 'current' };
    }
    NUMBER.lastIndex = this.pos;
    const num = NUMBER.exec(this.text);
    if (num) {
      this.pos = NUMBER.lastIndex;
      return { kind: 'literal', value: Number(num[0]) };
    }
    NAME.lastIndex = this.pos;
    const name = NAME.exec(this.text);
    if (!name) throw new ExpressionSyntaxError(`unexpected "${ch}"`, start);
    this.pos = NAME.lastIndex;
    const word = name[0];
    this.skipSpace();
    if (this.text[this.pos] === '(') return this.call(word, start);
    this.pos = NAME.lastIndex;
    switch (word) {
      case 'true':
        return { kind: 'literal', value: true };
      case 'false':
        return { kind: 'literal', value: false };
      case 'null':
        return { kind: 'literal', value: null };
      case 'payload':
        return { kind: 'payload' };
      case 'vars':
        return { kind: 'variable', name: this.firstKey(word) };
      case 'headers':
        return { kind: 'property', scope: 'transport', name: { kind: 'literal', value: this.firstKey(word) } };
      case 'params': {
        // MI 4.4: params.uriParams.x / params.pathParams.x (the uri.var.x property of a served request),
        // params.queryParams.x (query.param.x), params.functionParams.x (a template's parameter).
        const group = this.firstKey(word);
        const key = this.firstKey(`${word}.${group}`);
        if (group === 'functionParams') return { kind: 'templateParam', name: { kind: 'literal', value: key } };
        const prefix = group === 'uriParams' || group === 'pathParams' ? 'uri.var.' : group === 'queryParams' ? 'query.param.' : undefined;
        if (!prefix) throw new ExpressionSyntaxError(`params.${group} is not one of params.uriParams, params.pathParams, params.queryParams, params.functionParams`, start);
        return { kind: 'property', scope: 'default', name: { kind: 'literal', value: `${prefix}${key}` } };
      }
      case 'props':
      case 'properties': {
        const first = this.firstKey(word);
        const scope = SCOPE_NAMES[first];
        // `props.synapse.x` / `props.axis2.x` name a scope; `props.x` is the default (message) scope.
        if (scope && (this.text[this.pos] === '.' || this.text[this.pos] === '[')) {
          return { kind: 'property', scope, name: { kind: 'literal', value: this.firstKey(`${word}.${first}`) } };
        }
        return { kind: 'property', scope: 'default', name: { kind: 'literal', value: first } };
      }
      default:
        throw new ExpressionSyntaxError(
          `unknown name "${word}" (expected payload, vars, props, properties, headers, a function, or a quoted string)`,
          start,
        );
    }
  }

  /** The key right after `vars`, `props`, `headers`: `.name` or `["name"]`; later steps stay for postfix(). */
  private firstKey(root: string): string {
    const one = parsePathStep(this.text, this.pos);
    if (!one || one.step.type !== 'key') throw new ExpressionSyntaxError(`"${root}" must be followed by .name or ["name"]`, this.pos);
    this.pos = one.end;
    return one.step.name;
  }

  private sigil(): ExprNode {
    const start = this.pos;
    const m = /\$(ctx|trp|axis2|operation|func):/y;
    m.lastIndex = this.pos;
    const found = m.exec(this.text);
    if (!found) {
      if (this.text[this.pos + 1] === '{') throw new ExpressionSyntaxError('"${" cannot be nested inside an expression', start);
      throw new ExpressionSyntaxError('expected $ctx:, $trp:, $axis2:, $operation: or $func:', start);
    }
    SIGIL_NAME.lastIndex = m.lastIndex;
    const name = SIGIL_NAME.exec(this.text);
    if (!name) throw new ExpressionSyntaxError(`a property name is expected after "${found[0]}"`, m.lastIndex);
    this.pos = SIGIL_NAME.lastIndex;
    if (found[1] === 'func') return { kind: 'templateParam', name: { kind: 'literal', value: name[0] } };
    return { kind: 'property', scope: SIGIL_SCOPES[found[1]], name: { kind: 'literal', value: name[0] } };
  }

  private call(name: string, start: number): ExprNode {
    this.pos++; // (
    if (name === 'json-eval') return this.jsonEval(start);
    const arity = FUNCTIONS[name];
    if (!arity) throw new ExpressionSyntaxError(`unknown function "${name}()"`, start);
    const args: ExprNode[] = [];
    this.skipSpace();
    if (this.text[this.pos] !== ')') {
      for (;;) {
        args.push(this.expression(0));
        this.skipSpace();
        if (this.text[this.pos] === ',') {
          this.pos++;
          continue;
        }
        break;
      }
    }
    this.expect(')');
    if (args.length < arity[0] || args.length > arity[1]) {
      throw new ExpressionSyntaxError(`${name}() takes ${arity[0] === arity[1] ? arity[0] : `${arity[0]} to ${arity[1]}`} argument(s)`, start);
    }
    if (name === 'get-property') return getPropertyNode(args, start);
    return { kind: 'call', name, args };
  }

  /** `json-eval(` has been read: the JSONPath runs to the matching `)` (parentheses inside quotes do not count). */
  private jsonEval(start: number): ExprNode {
    let depth = 1;
    let i = this.pos;
    while (i < this.text.length) {
      const ch = this.text[i];
      if (ch === "'" || ch === '"') {
        i = readQuoted(this.text, i).end;
        continue;
      }
      if (ch === '(') depth++;
      else if (ch === ')' && --depth === 0) break;
      i++;
    }
    if (depth !== 0) throw new ExpressionSyntaxError('json-eval( is not closed', start);
    const path = this.text.slice(this.pos, i);
    let steps;
    try {
      steps = parseJsonPath(path);
    } catch (err) {
      if (err instanceof ExpressionSyntaxError) throw new ExpressionSyntaxError(`in json-eval: ${err.message}`, this.pos + err.position);
      throw err;
    }
    this.pos = i + 1;
    return { kind: 'path', base: { kind: 'payload' }, steps };
  }

  private expect(ch: string): void {
    this.skipSpace();
    if (this.text[this.pos] !== ch) throw new ExpressionSyntaxError(`expected "${ch}"`, this.pos);
    this.pos++;
  }
}

/** `get-property('x')` or `get-property('scope', 'x')`; the scope must be a literal so it can be checked now. */
function getPropertyNode(args: ExprNode[], start: number): ExprNode {
  if (args.length === 1) return { kind: 'property', scope: 'default', name: args[0] };
  const scopeArg = args[0];
  if (scopeArg.kind === 'literal' && scopeArg.value === 'func') return { kind: 'templateParam', name: args[1] };
  const scope = scopeArg.kind === 'literal' && typeof scopeArg.value === 'string' ? SCOPE_NAMES[scopeArg.value.toLowerCase()] : undefined;
  if (!scope) throw new ExpressionSyntaxError("get-property's scope must be 'default', 'transport', 'axis2' or 'operation'", start);
  return { kind: 'property', scope, name: args[1] };
}
