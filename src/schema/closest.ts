// "Did you mean ...?": the known name nearest to a misspelled one (edit distance, with label matches).

/** Levenshtein distance, with an early exit once it exceeds `limit`. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current.push(value);
      if (value < best) best = value;
    }
    if (best > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length]!;
}

export interface Candidate {
  name: string;
  /** Human label; `Short description` also matches a given `shortdescription` or `short description`. */
  label?: string;
}

/**
 * The candidate closest to `given`, or undefined when nothing is close enough to be a plausible typo
 * (more than a third of the name would have to change).
 */
export function closestName(given: string, candidates: readonly Candidate[]): string | undefined {
  const wanted = normalise(given);
  let best: { name: string; distance: number } | undefined;
  for (const c of candidates) {
    const keys = [normalise(c.name), ...(c.label ? [normalise(c.label)] : [])];
    for (const key of keys) {
      const limit = Math.max(2, Math.ceil(Math.max(key.length, wanted.length) / 3));
      const d = editDistance(wanted, key, limit);
      if (d <= limit && (!best || d < best.distance || (d === best.distance && c.name < best.name))) best = { name: c.name, distance: d };
    }
  }
  return best?.name ?? abbreviated(given, candidates);
}

/**
 * Abbreviations are not typos by edit distance (`short_desc` is 7 edits from `short_description`), but they are
 * what people write: each underscore-separated part of `given` is a prefix of the same part of a name. The
 * shortest such name wins, so `sys_upd` finds `sys_updated_on` before a longer field.
 */
function abbreviated(given: string, candidates: readonly Candidate[]): string | undefined {
  const parts = given.toLowerCase().split('_');
  if (given.replace(/_/g, '').length < 3 || parts.some((p) => p === '')) return undefined;
  let best: string | undefined;
  for (const c of candidates) {
    const names = c.name.toLowerCase().split('_');
    if (names.length !== parts.length || !parts.every((p, i) => names[i]!.startsWith(p))) continue;
    if (best === undefined || c.name.length < best.length || (c.name.length === best.length && c.name < best)) best = c.name;
  }
  return best;
}

/** Case, spaces and underscores do not count: `Short Description`, `short_description`, `shortDescription` are one. */
function normalise(text: string): string {
  return text.toLowerCase().replace(/[\s_-]+/g, '');
}
