// XML the readers refuse (entity limits, nesting depth) is reported as a sequence or descriptor error with the file
// and line, not as an internal error; a deep but legitimate nesting of filter/then still loads and runs.
import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/catalogue/index.js';
import { MessageContext } from '../../src/context/index.js';
import { loadConnector } from '../../src/invoke/index.js';
import { prepareFlow, runFlow } from '../../src/mediation/index.js';
import { MAX_XML_DEPTH } from '../../src/xml-limits.js';
import { copyCatalogue } from '../catalogue/temp-catalogue.js';

function nestedFilters(levels: number): string {
  const open = Array.from({ length: levels }, () => '<filter xpath="${payload.go == 1}"><then>\n').join('');
  const close = Array.from({ length: levels }, () => '</then></filter>\n').join('');
  return `<sequence name="main">\n${open}<payloadFactory media-type="json"><format>{"depth": ${levels}}</format></payloadFactory>\n${close}</sequence>\n`;
}

function failure(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (err) {
    return err as { code: string; message: string };
  }
  throw new Error('expected a failure');
}

const BIG_ENTITY = `<?xml version="1.0"?>\n<!DOCTYPE x [ <!ENTITY big "${'x'.repeat(20_000)}"> ]>\n`;

describe('sequence files', () => {
  it('a 50-level nesting of filter/then loads and runs', async () => {
    const connector = await loadConnector();
    const { flow } = prepareFlow(nestedFilters(50), 'deep.xml', connector);
    const result = await runFlow(flow, { connector, context: new MessageContext({ payload: { go: 1 } }) });
    expect(result.outcome).toBe('completed');
    expect(result.context.payload).toEqual({ depth: 50 });
  });

  it('nesting beyond the limit is a SEQUENCE_ERROR at the line that goes too deep', async () => {
    const connector = await loadConnector();
    const levels = MAX_XML_DEPTH; // filter + then per level: twice the limit
    const err = failure(() => prepareFlow(nestedFilters(levels), 'deep.xml', connector));
    // <sequence> is depth 1 on line 1; line n+1 opens <filter> at depth 2n and <then> at 2n+1.
    const line = MAX_XML_DEPTH / 2 + 1;
    expect(err).toMatchObject({ code: 'SEQUENCE_ERROR', message: `deep.xml:${line}: elements nested deeper than ${MAX_XML_DEPTH} levels` });
  });

  it('an entity over the size limit is a SEQUENCE_ERROR at the DOCTYPE line', async () => {
    const connector = await loadConnector();
    const xml = `${BIG_ENTITY}<sequence name="main"><log level="custom"><property name="x" value="&big;"/></log></sequence>\n`;
    const err = failure(() => prepareFlow(xml, 'entity.xml', connector));
    expect(err.code).toBe('SEQUENCE_ERROR');
    expect(err.message).toMatch(/^entity\.xml:2: DOCTYPE refused: .*size/);
  });
});

describe('catalogue files', () => {
  const copy = copyCatalogue();
  afterAll(() => copy.remove());

  it('an entity over the size limit is a DESCRIPTOR_ERROR naming the file and line', async () => {
    const original = copy.read('operations/getRecords.xml').replace(/^<\?xml[^>]*>\s*/, '');
    copy.write('operations/getRecords.xml', BIG_ENTITY + original);
    await expect(loadCatalogue(copy.dir)).rejects.toMatchObject({ code: 'DESCRIPTOR_ERROR', message: expect.stringMatching(/^operations\/getRecords\.xml:2: DOCTYPE refused: /) });
  });
});
