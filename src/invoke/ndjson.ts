// Items of a bulk load read from an NDJSON file (one JSON value per line) as they are needed: a file of any size
// is loaded with flat memory. A line that is not JSON ends the read with an error naming the file and the line.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { ConnectorError } from '../errors.js';

/** Yields each line parsed; a value that is not an object is refused by the bulk run as that item's own error. */
export async function* readNdjson(file: string): AsyncGenerator<Record<string, unknown>> {
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() === '') continue;
    try {
      yield JSON.parse(line) as Record<string, unknown>;
    } catch (err) {
      lines.close();
      throw new ConnectorError({ code: 'INVALID_PARAMETER', message: `${file}:${n}: not a JSON value (${err instanceof Error ? err.message : String(err)})` });
    }
  }
}
