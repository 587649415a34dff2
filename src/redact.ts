// The one redaction of the runtime. Every error message and detail (ConnectorError's constructor), every log line
// (the logger the connector is given is wrapped), and the CLI's error output pass through redactText/redact.
// Two complementary parts:
//  - by shape: members named like secrets, `Authorization: Basic/Bearer ...`, `password=...` in forms and queries,
//    the password in a URL's user-info (which may itself contain `@`);
//  - by value: the secret values a connection was opened with (password, client secret, refresh token, private key,
//    client key) and the tokens the runtime obtained, in every form a server or a library may echo them: as is,
//    percent- and form-encoded, JSON- and XML-escaped, base64 (alone and as `user:password` for Basic).
// The values are kept for the life of the process (a few strings per credential), so an error printed after its
// connection was closed is still masked.

export const REDACTED = '***';

/** Keys whose values are secrets wherever they appear (compared case-insensitively, ignoring _ and -). */
const SECRET_KEYS = new Set([
  'password',
  'clientsecret',
  'accesstoken',
  'refreshtoken',
  'authorization',
  'privatekey',
  'clientkey',
  'assertion',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'key',
]);

export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(key.toLowerCase().replace(/[-_]/g, ''));
}

/** Values shorter than this are not masked by value: masking "abc" would blank ordinary words in every message. */
const MIN_SECRET_LENGTH = 4;
/** Issued tokens are kept up to this many forms (oldest dropped first), so renewals for weeks cannot grow it without end. */
const MAX_ISSUED_FORMS = 2048;

/** Forms of the configured secrets (a handful per connection; never dropped) and of issued tokens (bounded). */
const configured = new Set<string>();
const issued = new Set<string>();
let matcher: RegExp | null | undefined;

/**
 * Makes `value` a known secret: from now on it is masked, in each of its encoded forms, wherever redactText runs.
 * Multi-line values (PEM keys) also register each long line, since a server may echo one line of them.
 * `kind` 'issued' is for tokens the runtime obtains (bounded, oldest forgotten first).
 */
export function registerSecret(value: unknown, kind: 'configured' | 'issued' = 'configured'): void {
  if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) return;
  const into = kind === 'issued' ? issued : configured;
  for (const form of formsOf(value)) addForm(into, form);
  if (value.includes('\n')) {
    for (const line of value.split(/\r?\n/)) if (line.trim().length >= 16) for (const form of formsOf(line.trim())) addForm(into, form);
  }
}

/** The `user:password` pair of HTTP Basic auth, whose base64 form is on the wire. */
export function registerBasicCredential(username: unknown, password: unknown): void {
  if (typeof password !== 'string' || password.length < MIN_SECRET_LENGTH) return;
  const pair = Buffer.from(`${typeof username === 'string' ? username : ''}:${password}`, 'utf8');
  addForm(configured, pair.toString('base64'));
  addForm(configured, pair.toString('base64url'));
}

function addForm(into: Set<string>, form: string): void {
  if (form.length < MIN_SECRET_LENGTH || into.has(form)) return;
  if (into === issued && issued.size >= MAX_ISSUED_FORMS) issued.delete(issued.values().next().value as string);
  into.add(form);
  matcher = undefined;
}

function formsOf(value: string): string[] {
  const percent = encodeURIComponent(value);
  const base64 = Buffer.from(value, 'utf8').toString('base64');
  return [
    value,
    percent,
    percent.replace(/%20/g, '+'),
    percent.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()),
    encodeURI(value),
    JSON.stringify(value).slice(1, -1),
    value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;'),
    base64,
    base64.replace(/=+$/, ''),
    Buffer.from(value, 'utf8').toString('base64url'),
  ];
}

function knownMatcher(): RegExp | null {
  if (matcher !== undefined) return matcher;
  // Longest first, so a form that contains another is masked whole.
  const sorted = [...new Set([...configured, ...issued])].sort((a, b) => b.length - a.length);
  matcher = sorted.length === 0 ? null : new RegExp(sorted.map(escapeRegExp).join('|'), 'g');
  return matcher;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** Masks the known secret values (see registerSecret) in `text`. */
export function maskKnownSecrets(text: string): string {
  const m = knownMatcher();
  return m === null ? text : text.replace(m, REDACTED);
}

/** Masks credentials inside free text: known secret values, URL user-info, Authorization values, key=value secrets. */
export function redactText(text: string): string {
  return maskKnownSecrets(text)
    .replace(/\/\/([^/\s:@]+):([^/\s"'<>]+)@/g, '//$1:***@')
    .replace(/\b(Basic|Bearer)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 ***')
    .replace(/\b(password|client_secret|access_token|refresh_token|assertion)=([^&\s"]+)/gi, '$1=***')
    .replace(/"(password|client_secret|access_token|refresh_token|clientSecret|accessToken|refreshToken)"\s*:\s*"(?:[^"\\]|\\.)*"/g, '"$1":"***"');
}

/** A deep copy with every secret-named value replaced by *** and every string passed through redactText. */
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
  for (const [k, v] of Object.entries(value)) {
    // defineProperty: a member named __proto__ stays a member of the copy instead of becoming its prototype.
    Object.defineProperty(out, k, { value: isSecretKey(k) ? REDACTED : redactValue(v, seen), writable: true, enumerable: true, configurable: true });
  }
  return out;
}
