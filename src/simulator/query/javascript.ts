// The few `javascript:gs.*()` date helpers that ServiceNow's condition builder writes into encoded queries
// (`sys_created_on>javascript:gs.daysAgoStart(7)`). The simulator does not run scripts: these are
// recognised by name, computed in UTC (ServiceNow uses the user's time zone), and anything else is refused.
import { QuerySyntaxError } from './types.js';

const DAY = 86_400;

const pad2 = (n: number): string => (n < 10 ? '0' + n : String(n));

function format(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

function startOfDay(epochSeconds: number): number {
  return Math.floor(epochSeconds / DAY) * DAY;
}

function integerArgument(name: string, args: string, query: string): number {
  const text = args === '' ? '0' : args;
  if (!/^-?\d+$/.test(text)) throw new QuerySyntaxError(`Invalid encoded query: gs.${name}() takes a whole number, got '${args}'`, query);
  return Number(text);
}

function dateGenerate(args: string, query: string): string {
  const m = /^'(\d{4}-\d{2}-\d{2})'\s*,\s*'(start|end|\d{2}:\d{2}:\d{2})'$/.exec(args);
  if (!m) throw new QuerySyntaxError(`Invalid encoded query: gs.dateGenerate() needs ('YYYY-MM-DD', 'HH:mm:ss' | 'start' | 'end'), got (${args})`, query);
  const time = m[2] === 'start' ? '00:00:00' : m[2] === 'end' ? '23:59:59' : m[2];
  return `${m[1]} ${time}`;
}

const NAME = /[A-Za-z]+/y;
const isBlank = (ch: string | undefined): boolean => ch !== undefined && /\s/.test(ch);

/**
 * Splits `javascript: gs.name( args ) ;` into its name and trimmed arguments, in one pass over the text.
 * (A regular expression with `\(\s*(.*?)\s*\)` backtracks in cubic time on a `(` followed by thousands of
 * blanks and no `)`, which blocked the event loop for minutes on one request.)
 */
function parseCall(value: string): [string, string, string] | undefined {
  let i = 'javascript:'.length;
  while (isBlank(value[i])) i++;
  if (!value.startsWith('gs.', i)) return undefined;
  NAME.lastIndex = i + 3;
  const name = NAME.exec(value);
  if (!name || value[NAME.lastIndex] !== '(') return undefined;
  const open = NAME.lastIndex;
  let end = value.length;
  while (end > open && isBlank(value[end - 1])) end--;
  if (value[end - 1] === ';') end--;
  while (end > open && isBlank(value[end - 1])) end--;
  if (end - 1 <= open || value[end - 1] !== ')') return undefined;
  const args = value.slice(open + 1, end - 1);
  if (args.includes('\n') || args.includes('\r')) return undefined;
  return [value, name[0], args.trim()];
}

/** True when the value is a script the engine must resolve (or refuse) rather than compare literally. */
export function isScriptValue(value: string): boolean {
  return value.startsWith('javascript:');
}

/**
 * Resolves a `javascript:gs.*()` value to a `YYYY-MM-DD HH:mm:ss` text (or `YYYY-MM-DD` for date fields).
 * `nowSeconds` is the clock, so tests and the simulator decide what "today" is.
 */
export function resolveScriptValue(value: string, dateOnly: boolean, nowSeconds: number, query: string): string {
  const m = parseCall(value);
  if (!m) throw new QuerySyntaxError(`Invalid encoded query: the simulator does not run scripts; unsupported value '${value}' (supported: gs.beginningOfToday(), gs.daysAgoStart(n), gs.dateGenerate(...), see README)`, query);
  const [, name, args] = m;
  const now = Math.floor(nowSeconds);
  const today = startOfDay(now);
  const noArgs = (): void => {
    if (args !== '') throw new QuerySyntaxError(`Invalid encoded query: gs.${name}() takes no arguments, got '${args}'`, query);
  };
  let text: string;
  switch (name) {
    case 'nowDateTime':
    case 'now':
      noArgs();
      text = format(now);
      break;
    case 'beginningOfToday':
      noArgs();
      text = format(today);
      break;
    case 'endOfToday':
      noArgs();
      text = format(today + DAY - 1);
      break;
    case 'beginningOfYesterday':
      noArgs();
      text = format(today - DAY);
      break;
    case 'endOfYesterday':
      noArgs();
      text = format(today - 1);
      break;
    case 'beginningOfTomorrow':
      noArgs();
      text = format(today + DAY);
      break;
    case 'endOfTomorrow':
      noArgs();
      text = format(today + 2 * DAY - 1);
      break;
    case 'daysAgo':
      text = format(now - integerArgument(name, args, query) * DAY);
      break;
    case 'daysAgoStart':
      text = format(today - integerArgument(name, args, query) * DAY);
      break;
    case 'daysAgoEnd':
      text = format(today - integerArgument(name, args, query) * DAY + DAY - 1);
      break;
    case 'hoursAgo':
      text = format(now - integerArgument(name, args, query) * 3600);
      break;
    case 'minutesAgo':
      text = format(now - integerArgument(name, args, query) * 60);
      break;
    case 'dateGenerate':
      text = dateGenerate(args, query);
      break;
    default:
      throw new QuerySyntaxError(`Invalid encoded query: gs.${name}() is not supported by the simulator (supported: nowDateTime, beginningOfToday, endOfToday, beginningOfYesterday, endOfYesterday, beginningOfTomorrow, endOfTomorrow, daysAgo, daysAgoStart, daysAgoEnd, hoursAgo, minutesAgo, dateGenerate)`, query);
  }
  return dateOnly ? text.slice(0, 10) : text;
}

/** The moment `count` units ago or ahead of now, for `RELATIVEGT@hour@ago@3` and its siblings. */
export function relativeMoment(unit: string, direction: string, count: number, dateOnly: boolean, nowSeconds: number): string {
  const sign = direction === 'ago' ? -1 : 1;
  const d = new Date(Math.floor(nowSeconds) * 1000);
  switch (unit) {
    case 'minute':
      d.setUTCMinutes(d.getUTCMinutes() + sign * count);
      break;
    case 'hour':
      d.setUTCHours(d.getUTCHours() + sign * count);
      break;
    case 'day':
    case 'dayofweek':
      d.setUTCDate(d.getUTCDate() + sign * count);
      break;
    case 'week':
      d.setUTCDate(d.getUTCDate() + sign * 7 * count);
      break;
    case 'month':
      d.setUTCMonth(d.getUTCMonth() + sign * count);
      break;
    case 'quarter':
      d.setUTCMonth(d.getUTCMonth() + sign * 3 * count);
      break;
    case 'year':
      d.setUTCFullYear(d.getUTCFullYear() + sign * count);
      break;
  }
  const text = format(d.getTime() / 1000);
  return dateOnly ? text.slice(0, 10) : text;
}
