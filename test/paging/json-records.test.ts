// The record splitter on its own: bodies cut into chunks at every position, values that look like separators,
// pretty-printed and unexpected shapes, and cut-off bodies.
import { describe, expect, it } from 'vitest';
import { windowStorage } from '../../src/paging/byte-window.js';
import { recordBatches, TruncatedBodyError } from '../../src/paging/index.js';

async function split(body: string, chunkSize: number, member = 'result'): Promise<unknown[]> {
  async function* chunks(): AsyncGenerator<Uint8Array> {
    const bytes = Buffer.from(body, 'utf8');
    for (let i = 0; i < bytes.length; i += chunkSize) yield bytes.subarray(i, i + chunkSize);
  }
  const out: unknown[] = [];
  for await (const batch of recordBatches(chunks(), member)) out.push(...batch);
  return out;
}

const tricky = [
  { sys_id: 'a1', short_description: 'braces },{ inside', caller_id: { link: 'x', value: 'u1' } },
  { sys_id: 'a2', short_description: 'quote \\" and ]} and \\\\', tags: [{ a: 1 }, { b: 2 }] },
  { sys_id: 'a3', short_description: 'unicode é 漢字 🎉', empty: '' },
  { sys_id: 'a4', nested: { deep: { deeper: '},{"x":1}' } } },
];

describe('recordBatches', () => {
  it('splits a compact body into its records whatever the chunk boundaries', async () => {
    const body = JSON.stringify({ result: tricky });
    for (const size of [1, 2, 3, 7, 16, 64, body.length]) {
      expect(await split(body, size)).toEqual(tricky);
    }
  });

  it('reads pretty-printed bodies and bodies with members around the records', async () => {
    expect(await split(JSON.stringify({ result: tricky }, null, 2), 5)).toEqual(tricky);
    expect(await split(JSON.stringify({ other: 1, result: tricky, after: true }), 9)).toEqual(tricky);
    expect(await split(JSON.stringify({ result: tricky, after: { x: [1, 2] } }), 11)).toEqual(tricky);
  });

  it('reads an empty page and a page of one record', async () => {
    expect(await split('{"result":[]}', 3)).toEqual([]);
    expect(await split('{"result":[{"sys_id":"x"}]}', 4)).toEqual([{ sys_id: 'x' }]);
  });

  it('hands out the records it could read, then fails on a body cut short', async () => {
    const body = JSON.stringify({ result: tricky });
    const got: unknown[] = [];
    const cut = body.slice(0, body.indexOf('a4') - 5);
    await expect(
      (async () => {
        for await (const batch of recordBatches([Buffer.from(cut)], 'result')) got.push(...batch);
      })(),
    ).rejects.toBeInstanceOf(TruncatedBodyError);
    expect(got).toEqual(tricky.slice(0, 3));
  });

  it('fails on a cancelled transaction (a 200 whose body ends in an error text)', async () => {
    const body = JSON.stringify({ result: tricky });
    const cancelled = body.slice(0, Math.floor(body.length / 2)) + 'Transaction cancelled: maximum execution time exceeded';
    await expect(split(cancelled, 13)).rejects.toBeInstanceOf(TruncatedBodyError);
  });

  it('fails on a body without the records member', async () => {
    await expect(split('{"error":{"message":"No Record found","detail":"x"},"status":"failure"}', 10)).rejects.toThrow(/no 'result' array/);
    await expect(split('', 10)).rejects.toThrow(/empty/);
  });

  it('reads records with one field of several megabytes, whatever it holds, in any chunking', async () => {
    // Text, a field full of escaped quotes, backslashes and separator look-alikes, and unicode: every byte class the
    // scanner distinguishes, in runs long enough to cross the careful scanner's threshold many times.
    const plain = 'x'.repeat(3 * 1024 * 1024);
    const hostile = '},{"a":"\\\\"}],é漢'.repeat(150_000);
    const records = [{ sys_id: 'a' }, { sys_id: 'b', big: plain + '\\', after: '\\' }, { sys_id: 'c', big: hostile, nested: [{ x: '},{' }] }, { sys_id: 'd' }];
    const body = JSON.stringify({ result: records });
    for (const size of [65_536, 100_003]) {
      const got = await split(body, size);
      expect(got.length).toBe(records.length);
      expect(got).toEqual(records);
    }
  });

  // A page's window storage outlives many young-generation GCs, so a new one per page would leave a dead buffer in
  // the old generation every page (byte-window.ts): the next page takes it over instead.
  describe('window storage', () => {
    const page = (tag: string, n: number) => Array.from({ length: n }, (_, i) => ({ sys_id: `${tag}${i}`.padEnd(32, '0'), text: `${tag} record ${i} `.repeat(20) }));
    /** Chunks of 1,000 bytes: every chunk ends inside a record, so the window keeps a storage. */
    async function* chunked(records: unknown[]): AsyncGenerator<Uint8Array> {
      const bytes = Buffer.from(JSON.stringify({ result: records }));
      for (let i = 0; i < bytes.length; i += 1000) yield bytes.subarray(i, i + 1000);
    }
    const readAll = async (records: unknown[]) => {
      const out: unknown[] = [];
      for await (const batch of recordBatches(chunked(records), 'result')) out.push(...batch);
      return out;
    };

    it("hands a page's storage on to the next page", async () => {
      const first = page('a', 200);
      expect(await readAll(first)).toEqual(first);
      const before = { ...windowStorage };
      const second = page('b', 200);
      expect(await readAll(second)).toEqual(second);
      expect(windowStorage.reused).toBeGreaterThan(before.reused);
      expect(windowStorage.allocated).toBe(before.allocated);
    });

    it('gives the storage back when the consumer stops early', async () => {
      const records = page('c', 200);
      const batches = recordBatches(chunked(records), 'result');
      await batches.next();
      const before = { ...windowStorage };
      await batches.return(undefined);
      expect(await readAll(records)).toEqual(records);
      expect(windowStorage.allocated).toBe(before.allocated);
    });

    it('never lets two pages read at once share a storage', async () => {
      const pages = [page('d', 300), page('e', 300), page('f', 300)];
      const readers = pages.map((records) => recordBatches(chunked(records), 'result'));
      const got: unknown[][] = pages.map(() => []);
      // One batch from each page in turn, so that all three windows hold their storage at the same time.
      for (let open = readers.length; open > 0; ) {
        open = 0;
        for (const [i, reader] of readers.entries()) {
          const next = await reader.next();
          if (next.done) continue;
          open++;
          got[i]!.push(...next.value);
        }
      }
      expect(got).toEqual(pages);
    });
  });
});
