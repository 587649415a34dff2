// <log category>: the category is the level the line is logged at (TRACE and DEBUG as debug, FATAL as error), and a
// category that does not exist is an error at load with its line.
import { describe, expect, it } from 'vitest';
import { MessageContext } from '../../src/context/index.js';
import { loadConnector } from '../../src/invoke/index.js';
import { parseFlow, prepareFlow, runFlow } from '../../src/mediation/index.js';
import { memoryLogger } from './helpers.js';

describe('<log category>', () => {
  it('logs at the level the category names', async () => {
    const connector = await loadConnector();
    const { flow } = prepareFlow(`<sequence name="main">
      <log level="custom" category="WARN"><property name="a" value="warned"/></log>
      <log level="custom" category="TRACE"><property name="b" value="traced"/></log>
      <log level="custom" category="FATAL"><property name="c" value="fatal"/></log>
      <log level="custom"><property name="d" value="default"/></log>
    </sequence>`, 'f.xml', connector);
    const logger = memoryLogger();
    await runFlow(flow, { connector, logger, context: new MessageContext() });
    const levelOf = (text: string) => logger.lines.find((l) => JSON.stringify(l).includes(text))?.level;
    expect([levelOf('warned'), levelOf('traced'), levelOf('fatal'), levelOf('default')]).toEqual(['warn', 'debug', 'error', 'info']);
  });

  it('refuses an unknown category at load, with its line', () => {
    const issues = parseFlow(`<sequence name="main">\n<log category="LOUD"/>\n</sequence>`, 'f.xml').issues;
    expect(issues.map((i) => `${i.line}: ${i.message}`)).toContain("2: log category 'LOUD' is not one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL");
  });
});
