// getTableSchema and listTables against the simulator's sys_db_object / sys_dictionary / sys_choice.
import { describe, expect, it } from 'vitest';
import { isConnectorError } from '../../src/errors.js';
import type { TableSchema } from '../../src/schema/index.js';
import { useSimulator } from '../invoke/support.js';

const h = useSimulator();

async function schemaOf(tableName: string): Promise<TableSchema> {
  const { payload } = await h.conn.invoke('getTableSchema', { tableName });
  return (payload as unknown as { result: TableSchema }).result;
}

describe('getTableSchema', () => {
  it("lists incident's own fields and the ones it inherits from task", async () => {
    const schema = await schemaOf('incident');
    expect(schema.name).toBe('incident');
    expect(schema.label).toBe('Incident');
    expect(schema.hierarchy).toEqual(['incident', 'task']);
    const byName = new Map(schema.fields.map((f) => [f.name, f]));
    expect(byName.get('caller_id')).toMatchObject({ type: 'reference', reference: 'sys_user', definedOn: 'incident', label: 'Caller' });
    expect(byName.get('short_description')).toMatchObject({ type: 'string', maxLength: 160, definedOn: 'task', mandatory: false });
    expect(byName.get('sys_id')).toMatchObject({ definedOn: 'task' });
    expect(byName.get('priority')!.choices!.map((c) => c.value)).toEqual(['1', '2', '3', '4', '5']);
    expect(byName.get('state')!.choices!.find((c) => c.value === '6')!.label).toBe('Resolved');
    // Sorted by name, each field once.
    const names = schema.fields.map((f) => f.name);
    expect(names).toEqual([...names].sort());
    expect(new Set(names).size).toBe(names.length);
  });

  it('follows a hierarchy of one (a table without parent)', async () => {
    const schema = await schemaOf('sys_user');
    expect(schema.hierarchy).toEqual(['sys_user']);
    expect(schema.fields.some((f) => f.name === 'user_name')).toBe(true);
    expect(schema.fields.some((f) => f.name === 'short_description')).toBe(false);
  });

  it("a child's redefinition of a column wins over its parent's", async () => {
    const child = h.sim.db.insert('sys_dictionary', {
      name: 'incident',
      element: 'short_description',
      column_label: 'Incident summary',
      internal_type: 'string',
      max_length: '80',
      mandatory: 'true',
      active: 'true',
    });
    try {
      const field = (await schemaOf('incident')).fields.find((f) => f.name === 'short_description')!;
      expect(field).toMatchObject({ label: 'Incident summary', maxLength: 80, mandatory: true, definedOn: 'incident' });
      const parent = (await schemaOf('task')).fields.find((f) => f.name === 'short_description')!;
      expect(parent).toMatchObject({ label: 'Short description', mandatory: false });
    } finally {
      h.sim.db.delete('sys_dictionary', child.sys_id!);
    }
  });

  it('an unknown table is NOT_FOUND naming it, after one request', async () => {
    h.sim.clearRequests();
    const err = await h.conn.invoke('getTableSchema', { tableName: 'no_such_table' }).catch((e: unknown) => e);
    expect(isConnectorError(err) && err.code).toBe('NOT_FOUND');
    expect((err as Error).message).toContain("there is no table 'no_such_table'");
    expect(h.apiRequests()).toHaveLength(1);
  });

  it('reads three tables: sys_db_object, sys_dictionary, sys_choice', async () => {
    h.sim.clearRequests();
    await schemaOf('problem');
    expect(h.apiRequests().map((r) => r.path)).toEqual(['/api/now/table/sys_db_object', '/api/now/table/sys_dictionary', '/api/now/table/sys_choice']);
  });

  it('cannot be dry-run as one request', () => {
    expect(() => h.conn.prepare('getTableSchema', { tableName: 'incident' })).toThrow(/makes several requests/);
  });
});

describe('listTables', () => {
  it('lists tables with their parent', async () => {
    const { payload } = await h.conn.invoke('listTables', { sysparmQuery: 'super_class.name=task' });
    const rows = (payload as { result: Array<Record<string, string>> }).result;
    expect(rows.map((r) => r['name']).sort()).toEqual(['change_request', 'change_task', 'incident', 'problem', 'sc_req_item', 'sc_request']);
    expect(rows.every((r) => r['super_class.name'] === 'task')).toBe(true);
  });
});
