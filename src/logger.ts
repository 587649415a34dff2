// One small logging interface the embedding application can replace. The default is quiet.
// Every line goes through redact() first, so a secret can never reach a log sink.

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

/** Keys whose values are secrets wherever they appear (compared case-insensitively, ignoring _ and -). */
const SECRET_KEYS = new Set([
  'password',
  'clientsecret',
  'accesstoken',
  'refreshtoken',
  'authorization',
  'privatekey',
  'assertion',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'key',
]);

export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(key.toLowerCase().replace(/[-_]/g, ''));
}

export const REDACTED = '***';

/** A deep copy with every secret-named value replaced by ***. */
export function redact<T>(value: T): T {
  return redactValue(value, new WeakSet()) as T;
}

function redactValue(value: unknown, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, seen));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = isSecretKey(k) ? REDACTED : redactValue(v, seen);
  return out;
}

/** Masks credentials inside free text: URL user-info, Authorization values, key=value secrets in forms or queries. */
export function redactText(text: string): string {
  return text
    .replace(/\/\/([^/\s:@]+):([^/\s@]+)@/g, '//$1:***@')
    .replace(/\b(Basic|Bearer)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 ***')
    .replace(/\b(password|client_secret|access_token|refresh_token|assertion)=([^&\s"]+)/gi, '$1=***')
    .replace(/"(password|client_secret|access_token|refresh_token|clientSecret|accessToken|refreshToken)"\s*:\s*"(?:[^"\\]|\\.)*"/g, '"$1":"***"');
}
