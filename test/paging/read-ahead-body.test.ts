// A page body read ahead of its parser (src/paging/read-ahead-body.ts): chunks come out as they went in, the body is
// paused once `limit` bytes wait (flat memory however slow the parser) and read on as they are taken, and a body that
// fails or closes before its end makes the iteration fail.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readAheadBody } from '../../src/paging/read-ahead-body.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('readAheadBody', () => {
  it('hands the chunks over in order, each as it came, and reads at most `limit` bytes ahead', async () => {
    const produced: number[] = [];
    let n = 0;
    const body = new Readable({
      highWaterMark: 10,
      read() {
        if (n === 20) return void this.push(null);
        produced.push(n);
        this.push(Buffer.alloc(10, n++));
      },
    });
    const chunks = readAheadBody(body, 30);
    const iterator = chunks[Symbol.asyncIterator]();
    for (let i = 0; i < 5; i++) await tick();
    // Nothing taken yet: 30 bytes wait in the read-ahead, at most one more chunk in the body's own buffer.
    expect(chunks.buffered).toBeGreaterThanOrEqual(30);
    expect(produced.length).toBeLessThanOrEqual(5);
    const got: number[] = [];
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
      expect(r.value.length).toBe(10);
      got.push(r.value[0]!);
    }
    expect(got).toEqual([...Array(20).keys()]);
  });

  it('fails with the body error, and when the body closes before its end', async () => {
    const failing = new Readable({ read() {} });
    const a = readAheadBody(failing)[Symbol.asyncIterator]();
    failing.push(Buffer.from('{"result":['));
    expect((await a.next()).done).toBe(false);
    failing.destroy(new Error('socket hang up'));
    await expect(a.next()).rejects.toThrow('socket hang up');

    const closed = new Readable({ read() {} });
    const b = readAheadBody(closed)[Symbol.asyncIterator]();
    closed.destroy();
    await expect(b.next()).rejects.toThrow('closed before its end');
  });

  it('stops the body when the consumer leaves early', async () => {
    const body = new Readable({ read() {} });
    const iterator = readAheadBody(body)[Symbol.asyncIterator]();
    body.push(Buffer.from('x'));
    await iterator.next();
    await iterator.return!();
    expect(body.destroyed).toBe(true);
  });
});
