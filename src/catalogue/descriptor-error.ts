// Errors in the catalogue files: they name the file, the line where it can be found, and what was expected.
import { ConnectorError } from '../errors.js';

export function descriptorError(file: string, line: number | undefined, message: string, cause?: unknown): ConnectorError {
  const where = line ? `${file}:${line}` : file;
  return new ConnectorError({ code: 'DESCRIPTOR_ERROR', message: `${where}: ${message}`, detail: where, cause });
}
