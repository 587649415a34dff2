// A <setting name> in init.xml that is not one of the transport's connection settings is refused when the
// connector loads, with the file and line, instead of being silently dropped (a misspelt timeout would never apply).
import { afterEach, describe, expect, it } from 'vitest';
import { CONNECTION_SETTING_NAMES } from '../../src/http/index.js';
import { loadConnector } from '../../src/invoke/index.js';
import { copyCatalogue, type TempCatalogue } from './temp-catalogue.js';

let temp: TempCatalogue | undefined;
afterEach(() => temp?.remove());

describe('init.xml <connection> settings', () => {
  it('a misspelt setting name is a DESCRIPTOR_ERROR naming the file, line and the settings there are', async () => {
    temp = copyCatalogue();
    temp.edit('operations/init.xml', '<setting name="timeouts.deadlineMs" from="deadline"/>', '<setting name="timeouts.deadlinMs" from="deadline"/>');
    const line = temp.read('operations/init.xml').split('\n').findIndex((l) => l.includes('timeouts.deadlinMs')) + 1;
    const err = await loadConnector({ dir: temp.dir }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'DESCRIPTOR_ERROR' });
    expect((err as Error).message).toMatch(new RegExp(`^operations/init\\.xml:${line}: <setting name="timeouts\\.deadlinMs"> is not a connection setting \\(settings: .*timeouts\\.deadlineMs`));
  });

  it('every setting the package init.xml maps is one the transport knows', async () => {
    const connector = await loadConnector();
    const init = connector.describeInit();
    expect(init.name).toBe('init');
    expect(CONNECTION_SETTING_NAMES).toContain('timeouts.deadlineMs');
  });
});
