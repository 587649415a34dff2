// Query parameters of a scaffolded operation (`new-operation --query NAME=VALUE`, or read from `--from-curl`).
// A VALUE is fixed text, `{param}` alone (an optional parameter sent as it is), or text around `{param}`
// placeholders, which becomes a `<query template>` whose parameters are required and checked by the encoded-query
// rule (docs/catalogue-format.md): `--query 'query=user_name={userName}'`.

export interface ScaffoldQuery {
  name: string;
  value: string;
}

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const QUERY_NAME = /^[A-Za-z0-9_.-]+$/;
const CONTROL = /[\u0000-\u001f\u007f\u2028\u2029]/;

type Kind = { kind: 'value' } | { kind: 'from'; parameter: string } | { kind: 'template'; parameters: string[] };

function kindOf(q: ScaffoldQuery): Kind {
  const names = [...q.value.matchAll(PLACEHOLDER)].map((m) => m[1]!);
  if (names.length === 0) return { kind: 'value' };
  if (names.length === 1 && q.value === `{${names[0]}}`) return { kind: 'from', parameter: names[0]! };
  return { kind: 'template', parameters: [...new Set(names)] };
}

/** What is wrong with the queries, or undefined. */
export function queryProblem(queries: readonly ScaffoldQuery[], pathParameters: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const q of queries) {
    if (!QUERY_NAME.test(q.name)) return `query name '${q.name}' must be letters, digits, _ . -`;
    if (seen.has(q.name)) return `query '${q.name}' is given twice`;
    seen.add(q.name);
    if (CONTROL.test(q.value)) return `the value of query '${q.name}' must be one line without control characters`;
    if (/\{\{|\}\}/.test(q.value) || /[{}]/.test(q.value.replace(PLACEHOLDER, ''))) return `the value of query '${q.name}' may hold {parameter} placeholders only (letters, digits, _)`;
    const k = kindOf(q);
    for (const p of k.kind === 'from' ? [k.parameter] : k.kind === 'template' ? k.parameters : []) {
      if (pathParameters.includes(p)) return `parameter '${p}' is in the path and in query '${q.name}'; give it another name`;
    }
  }
  return undefined;
}

/** Parameters the queries read that a call cannot do without (those of templates). */
export function requiredQueryParameters(queries: readonly ScaffoldQuery[]): string[] {
  const out: string[] = [];
  for (const q of queries) {
    const k = kindOf(q);
    if (k.kind === 'template') for (const p of k.parameters) if (!out.includes(p)) out.push(p);
  }
  return out;
}

/** `<parameter>` lines for the parameters the queries read (each once; a template's are required). */
export function queryParameters(queries: readonly ScaffoldQuery[], pathParameters: readonly string[], examples: Readonly<Record<string, string>>, attr: (text: string) => string): string[] {
  const required = requiredQueryParameters(queries);
  const lines: string[] = [];
  const done = new Set<string>(pathParameters);
  const example = (p: string) => (examples[p] !== undefined && examples[p] !== '' ? `, e.g. ${attr(examples[p]!)}` : '');
  for (const q of queries) {
    const k = kindOf(q);
    for (const p of k.kind === 'from' ? [k.parameter] : k.kind === 'template' ? k.parameters : []) {
      if (done.has(p)) continue;
      done.add(p);
      if (required.includes(p)) {
        lines.push(`  <parameter name="${p}" required="true" description="TODO: describe ${p}${example(p)}. Placed inside the query value of ${attr(q.name)}: encoded-query syntax in it is refused."/>`);
      } else {
        const sample = examples[p] ?? '';
        const type = /^\d+$/.test(sample) ? ' type="integer"' : /^(true|false)$/.test(sample) ? ' type="boolean"' : '';
        lines.push(`  <parameter name="${p}"${type} description="TODO: describe ${p}${example(p)}."/>`);
      }
    }
  }
  return lines;
}

/** The `<query>` elements of the `<call>`. */
export function queryElements(queries: readonly ScaffoldQuery[], attr: (text: string) => string): string[] {
  return queries.map((q) => {
    const k = kindOf(q);
    if (k.kind === 'value') return `    <query name="${attr(q.name)}" value="${attr(q.value)}"/>`;
    if (k.kind === 'from') return `    <query name="${attr(q.name)}" from="${k.parameter}"/>`;
    return `    <query name="${attr(q.name)}" template="${attr(q.value.replace(PLACEHOLDER, '{{$1}}'))}"/>`;
  });
}
