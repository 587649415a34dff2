// Case-insensitive string comparison without allocating per call: ServiceNow's databases compare text
// case-insensitively, and the simulator runs these on every row of a million-row table.

/** Lower-cases one UTF-16 code unit; ASCII inline, anything else through the engine's rules. */
function foldCode(code: number): number {
  if (code < 128) return code >= 65 && code <= 90 ? code + 32 : code;
  return String.fromCharCode(code).toLowerCase().charCodeAt(0);
}

/** <0, 0 or >0 comparing `a` and `b` case-insensitively, code unit by code unit. */
export function compareFolded(a: string, b: string): number {
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const d = foldCode(x) - foldCode(y);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** `a` equals `needle` ignoring case; `needle` must already be lower-case. */
export function equalsFolded(a: string, needle: string): boolean {
  if (a.length !== needle.length) return false;
  return regionMatches(a, 0, needle);
}

/** `a` starts with `needle` ignoring case; `needle` must already be lower-case. */
export function startsWithFolded(a: string, needle: string): boolean {
  return a.length >= needle.length && regionMatches(a, 0, needle);
}

/** `a` ends with `needle` ignoring case; `needle` must already be lower-case. */
export function endsWithFolded(a: string, needle: string): boolean {
  return a.length >= needle.length && regionMatches(a, a.length - needle.length, needle);
}

function regionMatches(a: string, offset: number, needle: string): boolean {
  for (let i = 0; i < needle.length; i++) {
    const x = a.charCodeAt(offset + i);
    const y = needle.charCodeAt(i);
    if (x !== y && foldCode(x) !== y) return false;
  }
  return true;
}

/** Upper-case ASCII or anything outside ASCII: only then can folding change the text. */
export function hasFoldableCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 65 && c <= 90) || c >= 128) return true;
  }
  return false;
}

/** Lower-cases a needle once, code unit by code unit, so that it agrees with foldCode. */
export function foldNeedle(text: string): string {
  if (!hasFoldableCharacters(text)) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) out += String.fromCharCode(foldCode(text.charCodeAt(i)));
  return out;
}
