// Reads the paging headers of a list response: the total row count and the Link header's rel="next" URL.

export function totalCountOf(headers: Readonly<Record<string, string>>): number | undefined {
  const raw = headers['x-total-count'];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** `<url>;rel="first",<url>;rel="next"`: the URL whose rel is next, if any. */
export function nextLinkOf(headers: Readonly<Record<string, string>>): string | undefined {
  const raw = headers['link'];
  if (raw === undefined || raw.indexOf('next') === -1) return undefined;
  const re = /<([^>]*)>\s*((?:;\s*[^;,]+)*)/g;
  let match: RegExpExecArray | null;
  while ((match = re.exec(raw)) !== null) {
    if (/;\s*rel\s*=\s*"?([^";]*\s)?next(\s[^";]*)?"?/i.test(match[2]!)) return match[1];
  }
  return undefined;
}
