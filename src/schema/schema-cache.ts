// Table schemas read through the catalogue's schema operation, kept for a while per connection: a loop of
// validated creates reads the dictionary once, and a changed dictionary is seen after the time-to-live.
import type { TableSchema } from './types.js';

export type SchemaReader = (schemaOperation: string, tableParameter: string, table: string) => Promise<TableSchema>;

export class SchemaCache {
  private readonly entries = new Map<string, { at: number; schema: Promise<TableSchema> }>();

  constructor(
    private readonly read: SchemaReader,
    private readonly ttlMs = 5 * 60_000,
  ) {}

  get(schemaOperation: string, tableParameter: string, table: string): Promise<TableSchema> {
    const key = `${schemaOperation}\u0000${tableParameter}\u0000${table}`;
    const hit = this.entries.get(key);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.schema;
    const schema = this.read(schemaOperation, tableParameter, table);
    this.entries.set(key, { at: Date.now(), schema });
    // A failed read is not remembered: the next call tries again.
    schema.catch(() => {
      if (this.entries.get(key)?.schema === schema) this.entries.delete(key);
    });
    return schema;
  }
}
