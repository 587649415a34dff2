// Binary parameters and streamed answers on the command line: `content=@photo.png` streams the file as a binary
// parameter's value (text without @ is sent as it is), and a streamed answer (downloadAttachment) is piped to
// stdout or to --output FILE without being held in memory.
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ConnectorError } from '../../errors.js';
import type { OperationInfo } from '../../invoke/index.js';

export async function openBinaryParameters(op: OperationInfo, params: Record<string, unknown>): Promise<void> {
  for (const p of op.parameters) {
    if (p.type !== 'binary') continue;
    for (const name of [p.name, ...(p.aliases ?? [])]) {
      const value = params[name];
      if (typeof value !== 'string' || !value.startsWith('@')) continue;
      const path = value.slice(1);
      const info = await stat(path).catch(() => undefined);
      if (!info?.isFile()) {
        throw new ConnectorError({ code: 'INVALID_PARAMETER', operation: op.name, parameter: p.name, message: `${op.name}: parameter '${p.name}': cannot read the file '${path}' (from ${value})` });
      }
      params[name] = createReadStream(path);
    }
  }
}

export async function writeStreamedBody(body: Readable, output: string | undefined): Promise<void> {
  if (output !== undefined) await pipeline(body, createWriteStream(output));
  else await pipeline(body, process.stdout, { end: false });
}
