// Text templates of built values: `<query template="user_name={{userName}}"/>`, `<header template="...">`.
// Only `{{parameter}}` placeholders, no helpers or logic: a value is built from literal text and parameter values,
// and whoever renders the pieces decides how each value is encoded or checked (compile-call.ts).

export type ValueTemplatePiece = string | { parameter: string };

export interface ValueTemplate {
  source: string;
  pieces: ValueTemplatePiece[];
  /** Parameter names the template reads, in order of first use. */
  parameters: string[];
}

/** Parses `text {{name}} text`; throws an Error with what is wrong (the caller adds file and line). */
export function parseValueTemplate(source: string): ValueTemplate {
  const pieces: ValueTemplatePiece[] = [];
  const parameters: string[] = [];
  const re = /\{\{\s*([^{}]*?)\s*\}\}/g;
  let last = 0;
  let match: RegExpExecArray | null;
  while ((match = re.exec(source)) !== null) {
    const literal = source.slice(last, match.index);
    if (/\{\{|\}\}/.test(literal)) throw new Error(`template '${source}' has an unbalanced {{ or }}`);
    if (literal !== '') pieces.push(literal);
    const name = match[1]!;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`template '${source}': {{${name}}} must name one parameter (no helpers or paths)`);
    pieces.push({ parameter: name });
    if (!parameters.includes(name)) parameters.push(name);
    last = match.index + match[0].length;
  }
  const rest = source.slice(last);
  if (/\{\{|\}\}/.test(rest)) throw new Error(`template '${source}' has an unbalanced {{ or }}`);
  if (rest !== '') pieces.push(rest);
  if (parameters.length === 0) throw new Error(`template '${source}' reads no parameter; use value="..." for fixed text`);
  return { source, pieces, parameters };
}
