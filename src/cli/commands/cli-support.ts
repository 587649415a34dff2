// Shared output of the commands: error printing and JSON. Option parsing is in ../args.ts.
import { isConnectorError } from '../../errors.js';
import { redact, redactText } from '../../logger.js';

/** Prints `{"code","message","detail",...}` on stderr; never a stack, never a secret. */
export function printError(err: unknown): void {
  const body = isConnectorError(err)
    ? err.toJSON()
    : { code: 'INTERNAL_ERROR', message: err instanceof Error ? err.message : String(err), detail: null };
  process.stderr.write(redactText(JSON.stringify(redact(body))) + '\n');
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}
