// One small logging interface the embedding application can replace. The default is quiet.
// Every line goes through redact() first, so a secret can never reach a log sink. Redaction itself is in redact.ts.
import { redact, redactText } from './redact.js';

export { isSecretKey, REDACTED, redact, redactText } from './redact.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
}

export const quietLogger: Logger = { log() {} };

/** Writes `level message {json fields}` lines to stderr, for the CLI. */
export function stderrLogger(minLevel: LogLevel = 'info'): Logger {
  const order: LogLevel[] = ['debug', 'info', 'warn', 'error'];
  return {
    log(level, message, fields) {
      if (order.indexOf(level) < order.indexOf(minLevel)) return;
      const tail = fields && Object.keys(fields).length > 0 ? ' ' + JSON.stringify(redact(fields)) : '';
      process.stderr.write(`${level.toUpperCase()} ${redactText(message)}${tail}\n`);
    },
  };
}

/** Wraps a logger so that every message and field passes through the one redaction, whatever the sink. */
export function redactingLogger(logger: Logger): Logger {
  if (logger === quietLogger) return logger;
  return {
    log(level, message, fields) {
      logger.log(level, redactText(message), fields === undefined ? undefined : redact(fields));
    },
  };
}
