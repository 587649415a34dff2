// ServiceNow writes date-times as `YYYY-MM-DD HH:mm:ss` in UTC (values); the simulator shows display values in UTC too.

const pad2 = (n: number): string => (n < 10 ? '0' + n : String(n));

// A record usually carries the same instant in several fields (created, updated, opened): remember the last one.
let lastSeconds = NaN;
let lastText = '';

/** Epoch seconds -> `YYYY-MM-DD HH:mm:ss` (UTC). */
export function formatGlideDateTime(epochSeconds: number): string {
  if (epochSeconds === lastSeconds) return lastText;
  const d = new Date(epochSeconds * 1000);
  lastSeconds = epochSeconds;
  return (lastText =
    d.getUTCFullYear() +
    '-' +
    pad2(d.getUTCMonth() + 1) +
    '-' +
    pad2(d.getUTCDate()) +
    ' ' +
    pad2(d.getUTCHours()) +
    ':' +
    pad2(d.getUTCMinutes()) +
    ':' +
    pad2(d.getUTCSeconds()));
}

const GLIDE_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** The last text parsed: a create writes the same `now` into several date fields in a row. */
let lastParsed: { text: string; seconds: number | undefined } = { text: '', seconds: undefined };

/** `YYYY-MM-DD HH:mm:ss` -> epoch seconds, or undefined when the text is not in that exact format. */
export function parseGlideDateTime(text: string): number | undefined {
  if (text === lastParsed.text) return lastParsed.seconds;
  const m = GLIDE_DATE_TIME.exec(text);
  const ms = m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : NaN;
  const seconds = Number.isNaN(ms) ? undefined : ms / 1000;
  lastParsed = { text, seconds };
  return seconds;
}

export function nowGlideDateTime(): string {
  return formatGlideDateTime(Math.floor(Date.now() / 1000));
}
