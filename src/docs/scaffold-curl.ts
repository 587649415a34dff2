// `new-operation <name> --from-curl "curl ..."`: reads a pasted curl line of a REST call and finds its variable
// parts: sys_id-like path segments (32 hex characters) become path parameters, every query parameter becomes an
// optional parameter, and a query value made of `field=value` conditions becomes a `<query template>` with one
// required parameter per condition (`user_name=abel.tuter` -> `user_name={userName}`). The values seen become
// examples in the descriptions, except those of secret-looking names; credentials (-u, Authorization) are never read.
import type { HttpMethod } from '../catalogue/index.js';
import type { ScaffoldQuery } from './scaffold-query.js';

export interface CurlCall {
  method: HttpMethod;
  path: string;
  queries: ScaffoldQuery[];
  examples: Record<string, string>;
}

const VALUE_FLAGS = new Set(['-X', '--request', '-H', '--header', '-d', '--data', '--data-raw', '--data-binary', '--data-urlencode', '--json', '-u', '--user', '--url', '-A', '--user-agent', '-o', '--output', '-b', '--cookie', '-e', '--referer', '--connect-timeout', '-m', '--max-time']);
const BODY_FLAGS = new Set(['-d', '--data', '--data-raw', '--data-binary', '--data-urlencode', '--json']);
const SECRET_NAME = /pass|secret|token|key|auth|sig/i;
const CONDITION = /^([A-Za-z0-9_.]+)=(.*)$/s;

/** Reads the curl line; throws an Error saying what is missing or wrong. */
export function parseCurl(line: string): CurlCall {
  const words = shellWords(line);
  if (words[0] !== 'curl') throw new Error("--from-curl takes a curl command line, starting with 'curl'");
  let method: string | undefined;
  let url: string | undefined;
  let body = false;
  let get = false;
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!;
    const eq = w.startsWith('--') ? w.indexOf('=') : -1;
    const flag = eq > 0 ? w.slice(0, eq) : w;
    if (VALUE_FLAGS.has(flag)) {
      const value = eq > 0 ? w.slice(eq + 1) : words[++i];
      if (value === undefined) throw new Error(`curl option ${flag} has no value`);
      if (flag === '-X' || flag === '--request') method = value.toUpperCase();
      else if (flag === '--url') url = value;
      else if (BODY_FLAGS.has(flag)) body = true;
      continue;
    }
    if (flag === '-G' || flag === '--get') get = true;
    else if (!w.startsWith('-') && url === undefined) url = w;
  }
  if (url === undefined) throw new Error('the curl line has no URL');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`'${url}' is not an absolute URL (http:// or https://)`);
  }
  const chosen = (method ?? (body && !get ? 'POST' : 'GET')) as HttpMethod;
  const names = new Set<string>();
  const examples: Record<string, string> = {};
  const unique = (base: string) => {
    let name = base;
    for (let n = 2; names.has(name); n++) name = `${base}${n}`;
    names.add(name);
    return name;
  };
  const path = parsed.pathname
    .split('/')
    .map((segment) => {
      if (!/^[0-9a-f]{32}$/i.test(segment)) return segment;
      const name = unique('sysId');
      examples[name] = segment.toLowerCase();
      return `{${name}}`;
    })
    .join('/');
  const queries: ScaffoldQuery[] = [];
  for (const [name, value] of parsed.searchParams) {
    const terms = value.split('^');
    let templated = false;
    const written = terms.map((term) => {
      const m = CONDITION.exec(term);
      if (!m || !value.includes('=')) return term;
      templated = true;
      const parameter = unique(camel(m[1]!));
      if (!SECRET_NAME.test(m[1]!)) examples[parameter] = m[2]!;
      return `${m[1]}={${parameter}}`;
    });
    if (templated) {
      queries.push({ name, value: written.join('^') });
      continue;
    }
    const parameter = unique(camel(name));
    if (!SECRET_NAME.test(name)) examples[parameter] = value;
    queries.push({ name, value: `{${parameter}}` });
  }
  return { method: chosen, path, queries, examples };
}

/** `some_field_name` -> `someFieldName`, `caller_id.user_name` -> `callerIdUserName`. */
function camel(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const out = words.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1))).join('');
  return /^[A-Za-z_]/.test(out) ? out : `p${out}`;
}

/** Splits a POSIX shell line into words: single and double quotes, backslash escapes, line continuations. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\' && line[i + 1] === '\n') {
      i++;
      continue;
    }
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error('the curl line has an unclosed single quote');
      word += line.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '"') {
      i++;
      for (; i < line.length && line[i] !== '"'; i++) word += line[i] === '\\' && /["\\$`]/.test(line[i + 1] ?? '') ? line[++i] : line[i];
      if (i >= line.length) throw new Error('the curl line has an unclosed double quote');
      inWord = true;
    } else if (c === '\\') {
      word += line[++i] ?? '';
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}
