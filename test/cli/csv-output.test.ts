// `--format csv` (src/cli/commands/read.ts): quoting that keeps a record on its row, and formula neutralisation
// (OWASP CSV injection) that leaves plain numbers usable.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { writeRecords } from '../../src/cli/commands/read.js';

async function csv(records: Record<string, unknown>[]): Promise<string> {
  let text = '';
  const out = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  await writeRecords(records, 'csv', out);
  return text;
}

describe('--format csv', () => {
  it('quotes a value with a line break, a comma or a quote, so each record stays one row', async () => {
    const text = await csv([{ number: 'INC1', description: 'line one\nline two', note: 'a "b", c', cr: 'x\ry' }]);
    expect(text).toBe('number,description,note,cr\r\nINC1,"line one\nline two","a ""b"", c","x\ry"\r\n');
  });

  it('neutralises values a spreadsheet would run as a formula', async () => {
    const hostile = ['=HYPERLINK("http://x","y")', '+1+cmd|calc', '-2+3', '@SUM(A1)', '\t=1', '\r=1', '-', '=', '-x'];
    const text = await csv(hostile.map((v) => ({ v })));
    const rows = text.split('\r\n');
    expect(rows.slice(1, -1)).toEqual([
      `"'=HYPERLINK(""http://x"",""y"")"`,
      "'+1+cmd|calc",
      "'-2+3",
      "'@SUM(A1)",
      "'\t=1",
      `"'\r=1"`,
      "'-",
      "'=",
      "'-x",
    ]);
  });

  it('keeps plain numbers and ordinary text as they are', async () => {
    const values = ['-5', '+7', '-0.25', '1e3', '-1.5E-3', '.5', '42', 'INC0010001', 'a=b', 'mail@example.org', ''];
    const text = await csv(values.map((v) => ({ v })));
    expect(text.split('\r\n').slice(1, -1)).toEqual(values);
  });

  it('neutralises a hostile field name in the header too', async () => {
    expect((await csv([{ '=cmd': 1 }])).split('\r\n')[0]).toBe("'=cmd");
  });
});
