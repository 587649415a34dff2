// The one number rule for every integer (and number) parameter, setting and property conversion: a value is a
// finite JavaScript number, or text written in decimal digits with an optional leading minus (and, for a number, a
// decimal fraction). Not accepted: `Infinity`, `1e400`, `0x10`, `0b1`, `1_000`, `true`, '' and integers beyond
// 2^53-1, which cannot be represented exactly. Bounds (minimum/maximum) are checked by the caller's schema after this.

export type NumberKind = 'integer' | 'number';

export type NumberReading = { ok: true; value: number } | { ok: false; reason: string };

const INTEGER_TEXT = /^-?\d+$/;
const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/;

export function readNumber(value: unknown, kind: NumberKind): NumberReading {
  const noun = kind === 'integer' ? 'an integer' : 'a number';
  let n: number;
  if (typeof value === 'number') {
    n = value;
  } else if (typeof value === 'string') {
    const text = value.trim();
    if (!(kind === 'integer' ? INTEGER_TEXT : DECIMAL_TEXT).test(text)) return { ok: false, reason: `must be ${noun} written in decimal digits` };
    n = Number(text);
  } else {
    return { ok: false, reason: `must be ${noun}, not a ${value === null ? 'null' : typeof value}` };
  }
  if (!Number.isFinite(n)) return { ok: false, reason: `must be a finite ${kind === 'integer' ? 'integer' : 'number'}` };
  if (kind === 'integer') {
    if (!Number.isInteger(n)) return { ok: false, reason: 'must be an integer' };
    if (!Number.isSafeInteger(n)) return { ok: false, reason: 'is too large to be represented exactly (beyond 2^53-1)' };
  }
  return { ok: true, value: n };
}
