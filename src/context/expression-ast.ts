// The compiled form of an expression. Parsing happens once per distinct text; evaluation walks these nodes.
import type { PropertyScope } from './message-context.js';
import type { PathStep } from './json-path.js';
import type { CompiledXPath } from './xml/xpath.js';

export type BinaryOperator = '||' | '&&' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%';

export type ExprNode =
  | { kind: 'literal'; value: unknown }
  /** `$ctx:x`, `$axis2:x`, `get-property('x')`, `${props.x}`; transport scope reads a header. */
  | { kind: 'property'; scope: PropertyScope; name: ExprNode }
  | { kind: 'payload' }
  /** `@` inside a JSONPath filter: the item being tested. */
  | { kind: 'current' }
  /** `$func:x`: a parameter of the template being run. */
  | { kind: 'templateParam'; name: ExprNode }
  /** `${vars.x}` */
  | { kind: 'variable'; name: string }
  /** Steps applied to the value of `base` (`payload.a[0]`, `vars.r.payload.result`, `json-eval($.a)`). */
  | { kind: 'path'; base: ExprNode; steps: PathStep[] }
  | { kind: 'unary'; op: '!' | '-'; operand: ExprNode }
  | { kind: 'binary'; op: BinaryOperator; left: ExprNode; right: ExprNode }
  | { kind: 'conditional'; test: ExprNode; then: ExprNode; otherwise: ExprNode }
  | { kind: 'call'; name: string; args: ExprNode[] }
  /** An XPath 1.0 expression over the message's XML view (Synapse's xpath= / expression= on XML). */
  | { kind: 'xpath'; xpath: CompiledXPath };

/** A parameter value after parsing: a plain literal, one expression, or text with `${...}` inside. */
export type CompiledValue =
  | { kind: 'literal'; value: string }
  | { kind: 'expression'; node: ExprNode; source: string }
  | { kind: 'template'; parts: (string | ExprNode)[]; source: string };
