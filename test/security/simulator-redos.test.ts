// The simulator's `javascript:gs.*()` reader is linear: a hostile query with a `(` and tens of thousands of blanks is
// refused at once (a backtracking regular expression took seconds for 1,000 blanks and hours for 50,000, blocking every
// other request). No timing assertion: the request must be answered within the normal test timeout, and the next one too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { resolveScriptValue } from '../../src/simulator/query/javascript.js';
import { QuerySyntaxError } from '../../src/simulator/query/index.js';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
});
afterAll(() => sim.close());

const AUTH = { authorization: 'Basic ' + Buffer.from('admin:admin').toString('base64') };

describe('simulator: hostile javascript: values', () => {
  it('50,000 blanks after gs.daysAgo( are refused as a syntax error', () => {
    const value = 'javascript:gs.daysAgo(' + ' '.repeat(50_000);
    expect(() => resolveScriptValue(value, false, 0, value)).toThrow(QuerySyntaxError);
    expect(() => resolveScriptValue(value + ')x', false, 0, value)).toThrow(QuerySyntaxError);
    // Blanks around a good argument are still fine.
    expect(resolveScriptValue('javascript:gs.daysAgo(' + ' '.repeat(50_000) + '1' + ' '.repeat(50_000) + ') ; ', false, 2 * 86_400, '')).toBe('1970-01-02 00:00:00');
  });

  it('over HTTP: the hostile query is answered with 400 and the next request is served', async () => {
    // As many blanks as fit in a request line (Node's default limit is 16 KB).
    const query = 'sys_created_on>javascript:gs.daysAgo(' + '+'.repeat(12_000);
    const hostile = await fetch(`${sim.url}/api/now/table/incident?sysparm_query=${query}`, { headers: AUTH });
    expect(hostile.status).toBe(400);
    await hostile.arrayBuffer();
    const next = await fetch(`${sim.url}/api/now/table/incident?sysparm_limit=1`, { headers: AUTH });
    expect(next.status).toBe(200);
    expect(((await next.json()) as { result: unknown[] }).result).toHaveLength(1);
  });
});
