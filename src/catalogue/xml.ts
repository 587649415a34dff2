// Lines of descriptor elements and attributes, for errors. fast-xml-parser (xml-parse.ts) keeps no positions, so
// lines are found afterwards by scanning the raw text for the element or attribute an error is about.
export type XmlObject = Record<string, unknown>;

/** 1-based line of a character offset. */
export function lineAt(raw: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < raw.length; i++) if (raw.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Line of the node an ajv instance path points at, e.g. /template/parameter/3/type: the 4th <parameter> after
 * <template>, then its type attribute. Falls back to the deepest node found.
 */
export function lineOfPath(raw: string, segments: readonly string[]): number | undefined {
  let pos = 0;
  let found: number | undefined;
  for (let i = 0; i < segments.length; i++) {
    const name = segments[i]!;
    const next = segments[i + 1];
    const index = next !== undefined && /^\d+$/.test(next) ? Number(next) : 0;
    const element = nthElement(raw, name, pos, index);
    if (element >= 0) {
      pos = element;
      found = element;
      if (index > 0 || (next !== undefined && /^\d+$/.test(next))) i++;
      continue;
    }
    const attribute = attributeInTag(raw, name, pos);
    if (attribute >= 0) found = attribute;
    break;
  }
  return found === undefined ? undefined : lineAt(raw, found);
}

/** Line of the first element `<tag ... attr="value"`, or of the first text match as a fallback. */
export function lineOfElement(raw: string, tag: string, attr?: string, value?: string): number | undefined {
  let pos = 0;
  for (;;) {
    const at = nthElement(raw, tag, pos, 0);
    if (at < 0) break;
    if (attr === undefined) return lineAt(raw, at);
    const end = raw.indexOf('>', at);
    const open = raw.slice(at, end < 0 ? undefined : end);
    if (new RegExp(`\\s${escapeRegExp(attr)}\\s*=\\s*["']${escapeRegExp(value ?? '')}["']`).test(open)) return lineAt(raw, at);
    pos = at + 1;
  }
  return lineOfText(raw, value ?? tag);
}

export function lineOfText(raw: string, text: string): number | undefined {
  const at = raw.indexOf(text);
  return at < 0 ? undefined : lineAt(raw, at);
}

function nthElement(raw: string, tag: string, from: number, index: number): number {
  const re = new RegExp(`<${escapeRegExp(tag)}[\\s/>]`, 'g');
  re.lastIndex = from;
  let match: RegExpExecArray | null;
  let seen = 0;
  while ((match = re.exec(raw)) !== null) {
    if (seen === index) return match.index;
    seen++;
  }
  return -1;
}

function attributeInTag(raw: string, attr: string, tagStart: number): number {
  const end = raw.indexOf('>', tagStart);
  const open = raw.slice(tagStart, end < 0 ? undefined : end);
  const match = new RegExp(`\\s${escapeRegExp(attr)}\\s*=`).exec(open);
  return match ? tagStart + match.index + 1 : -1;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
