// Named result builders a multi-step operation may end with (<steps result="...">). Each declares the step
// names and parameters it reads, so the catalogue loader can check an operation file against it.
import type { JsonValue } from '../context/message-context.js';
import { buildTableSchema } from './servicenow-dictionary.js';

export interface ResultBuilderInput {
  operation: string;
  values: Readonly<Record<string, unknown>>;
  /** Each step's response payload, by step name. */
  steps: Readonly<Record<string, unknown>>;
}

export interface ResultBuilder {
  steps: readonly string[];
  parameters: readonly string[];
  build(input: ResultBuilderInput): JsonValue;
}

export const RESULT_BUILDERS: Readonly<Record<string, ResultBuilder>> = {
  tableSchema: {
    steps: ['hierarchy', 'fields', 'choices'],
    parameters: ['tableName'],
    build: ({ operation, values, steps }) =>
      buildTableSchema(operation, String(values['tableName']), {
        hierarchy: steps['hierarchy'],
        fields: steps['fields'],
        choices: steps['choices'],
      }) as unknown as JsonValue,
  },
};
