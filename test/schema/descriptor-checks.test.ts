// Load-time checks of <steps> and <check> (as loadConnector applies them, with the result builders it passes to
// the catalogue loader): a broken declaration fails with DESCRIPTOR_ERROR naming the file.
import { afterEach, describe, expect, it } from 'vitest';
import { loadConnector } from '../../src/invoke/index.js';
import { isConnectorError } from '../../src/errors.js';
import { copyCatalogue, type TempCatalogue } from '../catalogue/temp-catalogue.js';

let temp: TempCatalogue | undefined;
afterEach(() => temp?.remove());

async function loadError(edit: (t: TempCatalogue) => void): Promise<string> {
  temp = copyCatalogue();
  edit(temp);
  const err = await loadConnector({ dir: temp.dir }).catch((e: unknown) => e);
  if (!isConnectorError(err) || err.code !== 'DESCRIPTOR_ERROR') throw new Error(`expected a DESCRIPTOR_ERROR, got ${String(err)}`);
  return err.message;
}

describe('<steps> and <check> declarations', () => {
  it('a step running an operation that does not exist', async () => {
    const message = await loadError((t) => t.edit('operations/getTableSchema.xml', '<step name="choices" operation="getRecords">', '<step name="choices" operation="getRecordz">'));
    expect(message).toBe("operations/getTableSchema.xml: step 'choices' runs 'getRecordz', which is not an operation of the catalogue");
  });

  it('a step parameter the operation does not have', async () => {
    const message = await loadError((t) => t.edit('operations/getTableSchema.xml', '<with name="sysparmFields" value="name,element,value,label,sequence"/>', '<with name="sysparmFeilds" value="name"/>'));
    expect(message).toContain("step 'choices': <with name=\"sysparmFeilds\"> is not a parameter of getRecords");
  });

  it('a result builder whose step is missing, or that does not exist', async () => {
    expect(await loadError((t) => t.edit('operations/getTableSchema.xml', '<step name="choices"', '<step name="choiceList"'))).toContain(
      "result builder 'tableSchema' reads a step named 'choices', which getTableSchema does not have",
    );
    temp!.remove();
    expect(await loadError((t) => t.edit('operations/getTableSchema.xml', '<steps result="tableSchema">', '<steps result="tableShape">'))).toContain(
      '<steps result="tableShape"> names no result builder (available: tableSchema)',
    );
  });

  it('an operation with both <call> and <steps>', async () => {
    const message = await loadError((t) =>
      t.edit('operations/getTableSchema.xml', '</steps>', '</steps>\n  <call method="GET" path="/api/now/table/sys_db_object"/>'),
    );
    expect(message).toMatch(/^operations\/getTableSchema\.xml:\d+: operation getTableSchema has both <call> and <steps>/);
  });

  it('a check naming a parameter the operation does not declare, or an unknown schema operation', async () => {
    expect(await loadError((t) => t.edit('operations/getRecords.xml', 'when="strictQuery"', 'when="strictQueries"'))).toContain(
      "<check kind=\"query\"> names 'strictQueries', which is not a parameter of getRecords",
    );
    temp!.remove();
    expect(await loadError((t) => t.edit('operations/postRecord.xml', 'schema="getTableSchema"', 'schema="describeTable"'))).toContain(
      '<check schema="describeTable"> names no operation of the catalogue',
    );
  });

  it('an unknown kind is refused by the format check with the allowed values', async () => {
    const message = await loadError((t) => t.edit('operations/getRecords.xml', '<check kind="query"', '<check kind="fields"'));
    expect(message).toMatch(/attribute kind of <check> must be one of payload, query \(found 'fields'\)/);
  });
});
