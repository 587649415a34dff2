// Limits both XML readers (catalogue descriptors, sequence files) parse under, and the file line a refusal is
// about. fast-xml-parser enforces the limits by throwing plain Errors without a position; this turns them into
// "line N: what was refused" so the caller can report a DESCRIPTOR_ERROR or SEQUENCE_ERROR, never an internal one.

/**
 * Deepest element nesting accepted. A legitimate flow nests filter/then/switch/case a few dozen levels at most;
 * a few hundred leaves room for that and still stops a document built to exhaust the stack.
 */
export const MAX_XML_DEPTH = 400;

/** Options for every fast-xml-parser XMLParser of ours (entity limits stay at the library's defaults). */
export const XML_PARSER_LIMITS = { maxNestedTags: MAX_XML_DEPTH } as const;

export interface XmlRefusal {
  line: number;
  message: string;
}

/** The line and a plain description of a parser exception on `raw`. */
export function describeXmlFailure(raw: string, err: unknown): XmlRefusal {
  const reason = err instanceof Error ? err.message : String(err);
  if (/nested tags/i.test(reason)) {
    return { line: lineOfDepth(raw, MAX_XML_DEPTH + 1) ?? 1, message: `elements nested deeper than ${MAX_XML_DEPTH} levels` };
  }
  const doctype = raw.indexOf('<!DOCTYPE');
  if (doctype >= 0 && /entit|doctype/i.test(reason)) return { line: lineAt(raw, doctype), message: `DOCTYPE refused: ${reason}` };
  return { line: 1, message: `cannot be read as XML: ${reason}` };
}

/** Line of the first element start tag at nesting `depth` (the root is depth 1), skipping comments, CDATA, PIs, declarations. */
export function lineOfDepth(raw: string, depth: number): number | undefined {
  let level = 0;
  let i = 0;
  while (i < raw.length) {
    const lt = raw.indexOf('<', i);
    if (lt < 0) return undefined;
    const skipTo = (marker: string): number => {
      const end = raw.indexOf(marker, lt);
      return end < 0 ? raw.length : end + marker.length;
    };
    if (raw.startsWith('<!--', lt)) i = skipTo('-->');
    else if (raw.startsWith('<![CDATA[', lt)) i = skipTo(']]>');
    else if (raw.startsWith('<?', lt)) i = skipTo('?>');
    else if (raw.startsWith('<!', lt)) i = skipTo('>');
    else if (raw.startsWith('</', lt)) {
      level--;
      i = skipTo('>');
    } else {
      const end = tagEnd(raw, lt);
      if (raw.charCodeAt(end - 1) !== 47 /* '/' of <x/> */) {
        level++;
        if (level >= depth) return lineAt(raw, lt);
      }
      i = end + 1;
    }
  }
  return undefined;
}

/** Index of the `>` closing the start tag at `lt` (a `>` inside a quoted attribute value does not count). */
function tagEnd(raw: string, lt: number): number {
  let quote = 0;
  for (let i = lt + 1; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) quote = c;
    else if (c === 62) return i;
  }
  return raw.length;
}

function lineAt(raw: string, offset: number): number {
  let line = 1;
  for (let i = raw.indexOf('\n'); i >= 0 && i < offset; i = raw.indexOf('\n', i + 1)) line++;
  return line;
}
