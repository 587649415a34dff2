// The field paths an encoded query names, for strictQuery. ServiceNow ignores a condition on a field the
// table does not have and returns every row, so a typo in a delete loop's query deletes everything.

const PREFIXES = ['ORDERBYDESC', 'ORDERBY', 'GROUPBY', 'NQ', 'OR'];
/** Terms that name no field. */
const KEYWORDS = new Set(['EQ', 'ENDRLQUERY']);
// Column names are lower case; operators (LIKE, STARTSWITH, IN, ...) are upper case and end the name.
const FIELD = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*/;

/** Distinct field paths (`priority`, `caller_id.name`) in order of first appearance. */
export function fieldsOfEncodedQuery(query: string): string[] {
  const out: string[] = [];
  // `^^` is a literal caret inside a value, not a separator.
  for (let term of query.replace(/\^\^/g, '\u0000').split('^')) {
    term = term.trim();
    if (term === '' || KEYWORDS.has(term) || term.startsWith('RLQUERY')) continue;
    for (const prefix of PREFIXES) {
      if (term.startsWith(prefix)) {
        term = term.slice(prefix.length);
        // `^NQ` may be followed by an OR-less condition only; ORDERBY takes the whole rest as a field.
        break;
      }
    }
    const match = FIELD.exec(term);
    if (match && !out.includes(match[0])) out.push(match[0]);
  }
  return out;
}
