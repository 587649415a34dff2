export { MessageContext } from './message-context.js';
export type { JsonValue, PropertyScope } from './message-context.js';
export {
  evaluateValue,
  parseExpression,
  isExpression,
  parseAttributeExpression,
  evaluateExpression,
  evaluateCondition,
  truthy,
  asText,
} from './expressions.js';
export type { CompiledValue, ExprNode } from './expression-ast.js';
export { evaluateNode, conditionHolds } from './expression-eval.js';
export * from './xml/index.js';
export { assertSafeKey, isForbiddenKey, nameValueRecord, ownMember, PathWriteError, setOwnMember, UnsafeKeyError, writeAtPath } from './safe-path.js';
