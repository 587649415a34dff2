// Schema discovery and checks: the TableSchema shape, payload and query checks, closest-name suggestions.
export type { ChoiceInfo, FieldSchema, TableSchema } from './types.js';
export { closestName, editDistance } from './closest.js';
export { payloadProblems } from './payload-check.js';
export { fieldsOfEncodedQuery } from './query-fields.js';
export { SchemaCache, type SchemaReader } from './schema-cache.js';
export { runChecks } from './checks.js';
