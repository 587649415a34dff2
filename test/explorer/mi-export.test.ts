// `snconnect export-mi`: WSO2 MI uischema/outputschema files for every operation, in the shapes MI's tooling reads,
// and getRecords' form compared with the WSO2 ServiceNow connector's own uischema for that operation.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultCatalogueDir, loadCatalogue } from '../../src/catalogue/index.js';
import { miFiles } from '../../src/docs/index.js';
import { runCli } from '../cli/run-cli.js';

const temp = mkdtempSync(join(tmpdir(), 'snconnect-mi-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

// The uischema shape MI's form generator reads (as in WSO2's connectors: an operation form has operationName, the
// connection form connectionName; elements are attributes or attribute groups; flags are the strings "true"/"false").
const attribute = {
  type: 'object',
  required: ['type', 'value'],
  properties: {
    type: { const: 'attribute' },
    value: {
      type: 'object',
      required: ['name', 'displayName', 'inputType', 'required', 'helpTip'],
      properties: {
        name: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_]*$' },
        displayName: { type: 'string', minLength: 1 },
        inputType: { enum: ['string', 'stringOrExpression', 'booleanOrExpression', 'comboOrExpression', 'textAreaOrExpression', 'checkbox', 'connection'] },
        required: { enum: ['true', 'false'] },
        helpTip: { type: 'string' },
        defaultValue: { type: 'string' },
        comboValues: { type: 'array', items: { type: 'string' }, minItems: 1 },
        enableCondition: { type: 'array', items: { type: 'object', additionalProperties: { type: 'string' }, minProperties: 1 } },
        validation: { const: 'regEx' },
        validationRegEx: { type: 'string' },
        allowedConnectionTypes: { type: 'array', items: { type: 'string' } },
        defaultType: { type: 'string' },
        deriveResponseVariable: { const: 'true' },
      },
      additionalProperties: false,
    },
  },
};
const uiSchemaShape = {
  $id: 'mi-uischema',
  type: 'object',
  required: ['connectorName', 'title', 'help', 'elements'],
  oneOf: [{ required: ['operationName'] }, { required: ['connectionName'] }],
  properties: { elements: { $ref: '#/$defs/elements' } },
  $defs: {
    elements: { type: 'array', items: { oneOf: [attribute, { $ref: '#/$defs/group' }] } },
    group: {
      type: 'object',
      required: ['type', 'value'],
      properties: { type: { const: 'attributeGroup' }, value: { type: 'object', required: ['groupName', 'elements'], properties: { groupName: { type: 'string' }, elements: { $ref: '#/$defs/elements' } } } },
    },
  },
};

interface Attr {
  name: string;
  inputType: string;
  [key: string]: unknown;
}
type Element = { type: 'attribute'; value: Attr } | { type: 'attributeGroup'; value: { groupName: string; elements: Element[] } };

/** group name -> attributes, flattened in order. */
function fieldsByGroup(elements: Element[], group = ''): Map<string, Attr[]> {
  const out = new Map<string, Attr[]>();
  for (const e of elements) {
    if (e.type === 'attribute') out.set(group, [...(out.get(group) ?? []), e.value]);
    else for (const [g, list] of fieldsByGroup(e.value.elements, e.value.groupName)) out.set(g, [...(out.get(g) ?? []), ...list]);
  }
  return out;
}

describe('export-mi', () => {
  it('writes a uischema and an outputschema for every operation (and the connection), each valid JSON of the right shape', async () => {
    const res = await runCli(['export-mi', '--out', temp]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const catalogue = await loadCatalogue();
    const ui = readdirSync(join(temp, 'uischema')).sort();
    const out = readdirSync(join(temp, 'outputschema')).sort();
    const names = catalogue.operations.map((o) => `${o.descriptor.name}.json`);
    expect(ui).toEqual([...names, `${catalogue.init.descriptor.name}.json`].sort());
    expect(out).toEqual([...names].sort());

    const ajv = new Ajv({ allErrors: true });
    const checkUi = ajv.compile(uiSchemaShape);
    for (const file of ui) {
      const doc = JSON.parse(readFileSync(join(temp, 'uischema', file), 'utf8')) as unknown;
      expect(checkUi(doc), `${file}: ${ajv.errorsText(checkUi.errors)}`).toBe(true);
    }
    for (const file of out) {
      const doc = JSON.parse(readFileSync(join(temp, 'outputschema', file), 'utf8')) as { properties: Record<string, { properties?: Record<string, unknown> }> };
      expect(ajv.validateSchema(doc), `${file} is a JSON Schema`).toBe(true);
      expect(Object.keys(doc.properties)).toEqual(['payload', 'attributes', 'headers']);
      expect(doc.properties['attributes']!.properties).toHaveProperty('statusCode');
    }
    // The files written are the ones committed under mi/ (kept fresh by `snconnect docs --check`).
    for (const file of miFiles(catalogue)) {
      expect(readFileSync(join(temp, file.path), 'utf8')).toBe(readFileSync(join(defaultCatalogueDir(), 'mi', file.path), 'utf8'));
    }
  });

  it("getRecords' form has the WSO2 ServiceNow connector's fields, groups and input types", async () => {
    const doc = JSON.parse(readFileSync(join(temp, 'uischema', 'getRecords.json'), 'utf8')) as { connectorName: string; operationName: string; elements: Element[] };
    expect(doc.connectorName).toBe('servicenow');
    expect(doc.operationName).toBe('getRecords');
    const ours = fieldsByGroup(doc.elements);
    // The WSO2 connector's uischema/getRecords.json (wso2-extensions/esb-connector-servicenow), reduced to
    // group -> field -> inputType.
    const wso2: Record<string, Record<string, string>> = {
      General: { configRef: 'connection' },
      Input: { tableName: 'stringOrExpression' },
      'Query Parameters': {
        sysparmQuery: 'stringOrExpression',
        sysparmDisplayValue: 'booleanOrExpression',
        sysparmFields: 'stringOrExpression',
        sysparmView: 'stringOrExpression',
        sysparmLimit: 'stringOrExpression',
        sysparmOffset: 'stringOrExpression',
        sysparmExcludeReferenceLink: 'booleanOrExpression',
        sysparmReadReplicaCategory: 'stringOrExpression',
        keyValuePairs: 'stringOrExpression',
      },
      Output: { responseVariable: 'string', overwriteBody: 'checkbox' },
    };
    // Where we differ on purpose: sysparmDisplayValue takes true, false or all, so it is a combo, not a boolean.
    const deliberate: Record<string, string> = { sysparmDisplayValue: 'comboOrExpression' };
    for (const [group, fields] of Object.entries(wso2)) {
      const have = ours.get(group) ?? [];
      for (const [name, inputType] of Object.entries(fields)) {
        const field = have.find((f) => f.name === name);
        expect(field, `${group} / ${name}`).toBeDefined();
        expect(field!.inputType, `${name}'s inputType`).toBe(deliberate[name] ?? inputType);
      }
    }
    const groups = [...ours.keys()];
    expect(groups.slice(0, 3)).toEqual(['General', 'Input', 'Query Parameters']);
    expect(groups.at(-1)).toBe('Output');
    const configRef = ours.get('General')![0]!;
    expect(configRef).toMatchObject({ allowedConnectionTypes: ['SERVICENOW'], defaultType: 'connection.SERVICENOW', required: 'true' });
    const display = ours.get('Query Parameters')!.find((f) => f.name === 'sysparmDisplayValue')!;
    expect(display['comboValues']).toEqual(['true', 'false', 'all']);
    // Paging parameters are enabled by the all-pages switch.
    const pageSize = [...ours.values()].flat().find((f) => f.name === 'pageSize')!;
    expect(pageSize['enableCondition']).toEqual([{ all: 'true' }]);
  });

  it('the connection form lets the auth type decide which fields apply', () => {
    const doc = JSON.parse(readFileSync(join(temp, 'uischema', 'init.json'), 'utf8')) as { connectionName: string; elements: Element[] };
    expect(doc.connectionName).toBe('SERVICENOW');
    const fields = [...fieldsByGroup(doc.elements).values()].flat();
    expect(fields.find((f) => f.name === 'authType')).toMatchObject({ inputType: 'comboOrExpression', comboValues: ['basic', 'oauth2'], defaultValue: 'basic' });
    expect(fields.find((f) => f.name === 'username')!['enableCondition']).toEqual([{ authType: 'basic' }]);
    expect(fields.find((f) => f.name === 'clientSecret')!['enableCondition']).toEqual([{ authType: 'oauth2' }]);
  });
});
