// Paging case, the floor: the same keyset requests over raw undici, but each page's bytes are only scanned for its
// sys_ids (no JSON.parse, no records built). Whatever peak RSS this reaches, no client of Node and undici reading
// these pages can go below it. Prints {records, ms, recordsPerSecond, peakRssMb}.
import { Agent } from 'undici';
import { requestPage, runKeysetLoop } from '../support/keyset-loop.js';

const [url, page = '10000'] = process.argv.slice(2);
const agent = new Agent({ connections: 16 });
const KEY = Buffer.from('"sys_id":"');
const ID_LENGTH = 32;

await runKeysetLoop(
  Number(page),
  async (query) => {
    const body = await requestPage(agent, url!, query);
    const rows: Array<{ sys_id: string }> = [];
    const span = KEY.length + ID_LENGTH;
    const scan = (data: Buffer, endsAfter: number) => {
      for (let i = data.indexOf(KEY); i >= 0 && i + span <= data.length; i = data.indexOf(KEY, i + span)) {
        if (i + span > endsAfter) rows.push({ sys_id: data.toString('latin1', i + KEY.length, i + span) });
      }
    };
    // A key and its value may straddle two chunks: the previous chunk's last bytes and this one's first are
    // looked at together (a small copy), counting only a match that ends in this chunk.
    let tail = Buffer.alloc(0);
    for await (const chunk of body) {
      const data = chunk as Buffer;
      if (tail.length > 0) scan(Buffer.concat([tail, data.subarray(0, span - 1)]), tail.length);
      scan(data, 0);
      tail = Buffer.from(data.subarray(Math.max(0, data.length - (span - 1))));
    }
    return rows;
  },
  () => agent.close(),
);
