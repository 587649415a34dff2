// WSO2 MI's documented JSON <-> XML mapping ("How to work with JSON message payloads", docs-mi
// learn/examples/json-examples), which MI applies when a JSON message is read with XPath, answered or sent as XML,
// and when an XML message is read with json-eval() or answered or sent as JSON:
//   JSON -> XML   an object is <jsonObject>, an array <jsonArray> of <jsonElement>s; a member is an element of its
//                 name; an array member is one element per item, preceded by <?xml-multiple name?> so that the way
//                 back knows it was an array (an empty array is the instruction alone); "@x" members are
//                 attributes and "$" the text of an element that has them; null is an empty element; a key
//                 starting with "$" becomes _JsonReader_PS_..., one starting with a digit _JsonReader_PD_..., any
//                 other character not allowed in an XML name _JsonReader_<code>_ (MI's build_valid_nc_name form).
//   XML -> JSON   the root element is the one member of the object (<jsonObject> and <jsonArray> roots are
//                 unwrapped); repeated elements, or those after <?xml-multiple?>, are arrays; attributes are "@name"
//                 (namespace declarations left out); text beside attributes is "$"; an empty element is null; text
//                 that reads as a JSON number (within double precision), true, false or null becomes that value
//                 (autoPrimitive); namespace prefixes are dropped (MI's default, preserve.namespace=false).
import { NODE, childElements, escapeXmlAttribute, escapeXmlText, type Element, type Node } from './dom.js';

export const JSON_OBJECT = 'jsonObject';
export const JSON_ARRAY = 'jsonArray';
export const JSON_ELEMENT = 'jsonElement';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

// ---- JSON -> XML ------------------------------------------------------------------------------

/** The XML text MI builds for a JSON value (the payload's root element and everything below). */
export function jsonToXmlText(value: unknown): string {
  if (Array.isArray(value)) return `<${JSON_ARRAY}>${arrayItems(JSON_ELEMENT, value)}</${JSON_ARRAY}>`;
  if (isObject(value)) return `<${JSON_OBJECT}>${members(value)}</${JSON_OBJECT}>`;
  // A bare value (a string or number payload): MI wraps it too.
  return `<${JSON_OBJECT}>${value === null || value === undefined ? '' : escapeXmlText(String(value))}</${JSON_OBJECT}>`;
}

function members(obj: Record<string, unknown>): string {
  let out = '';
  for (const [key, value] of Object.entries(obj)) {
    if (key.startsWith('@') || key === '$') continue; // attributes and text of the enclosing element
    const name = xmlName(key);
    out += Array.isArray(value) ? arrayItems(name, value) : element(name, value);
  }
  return out;
}

function arrayItems(name: string, items: unknown[]): string {
  let out = `<?xml-multiple ${name}?>`;
  for (const item of items) out += Array.isArray(item) ? `<${name}><${JSON_ARRAY}>${arrayItems(JSON_ELEMENT, item)}</${JSON_ARRAY}></${name}>` : element(name, item);
  return out;
}

function element(name: string, value: unknown): string {
  if (value === null || value === undefined) return `<${name}/>`;
  if (!isObject(value)) return `<${name}>${escapeXmlText(String(value))}</${name}>`;
  let attrs = '';
  for (const [key, v] of Object.entries(value)) {
    if (key.startsWith('@') && key.length > 1 && !isObject(v) && !Array.isArray(v)) attrs += ` ${xmlName(key.slice(1))}="${escapeXmlAttribute(v === null ? '' : String(v))}"`;
  }
  const text = '$' in value && !isObject(value.$) && !Array.isArray(value.$) && value.$ !== null ? escapeXmlText(String(value.$)) : '';
  return `<${name}${attrs}>${text}${members(value)}</${name}>`;
}

const NAME_START = /[A-Za-z_\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD]/;
const NAME_CHAR = /[-.0-9A-Za-z_\u00B7\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u037D\u037F-\u1FFF\u200C\u200D\u203F\u2040\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD]/;

/** A JSON key as an XML element name (no prefixes: a ':' is encoded like any other character a name cannot hold). */
export function xmlName(key: string): string {
  if (key === '') return '_JsonReader_empty_';
  let rest = key;
  let out = '';
  if (rest.startsWith('$')) {
    out = '_JsonReader_PS_';
    rest = rest.slice(1);
  } else if (/^[0-9]/.test(rest)) out = '_JsonReader_PD_';
  else if (!NAME_START.test(rest[0]!)) {
    out = `_JsonReader_${rest.codePointAt(0)}_`;
    rest = rest.slice(String.fromCodePoint(rest.codePointAt(0)!).length);
  }
  for (const ch of rest) out += NAME_CHAR.test(ch) ? ch : `_JsonReader_${ch.codePointAt(0)}_`;
  return out;
}

/** The JSON key an XML element name stands for (undoes xmlName; accepts MI's lower-case `_jsonreader_32_` too). */
export function jsonKey(name: string): string {
  if (name.indexOf('_') === -1) return name;
  let key = name;
  if (key.startsWith('_JsonReader_PS_')) key = '$' + key.slice(15);
  else if (key.startsWith('_JsonReader_PD_')) key = key.slice(15);
  if (key === '_JsonReader_empty_') return '';
  return key.replace(/_jsonreader_(\d+)_/gi, (_m, code: string) => String.fromCodePoint(Number(code)));
}

// ---- XML -> JSON ------------------------------------------------------------------------------

/** The JSON value MI produces for an element that is the payload (its root). */
export function xmlToJson(root: Element): Json {
  const name = localName(root);
  if (name === JSON_ARRAY) return arrayOf(root);
  if (name === JSON_OBJECT) {
    const value = valueOf(root);
    return value === null ? {} : value;
  }
  return { [jsonKey(name)]: valueOf(root) };
}

function arrayOf(el: Element): Json[] {
  const out: Json[] = [];
  for (const child of childElements(el)) out.push(itemValue(child));
  return out;
}

/** A <jsonElement> (or a repeated member) holding a nested anonymous array or object keeps that shape. */
function itemValue(el: Element): Json {
  const kids = childElements(el);
  if (kids.length === 1 && el.attributes.length === 0 && (localName(kids[0]!) === JSON_ARRAY || localName(kids[0]!) === JSON_OBJECT)) {
    return localName(kids[0]!) === JSON_ARRAY ? arrayOf(kids[0]!) : (valueOf(kids[0]!) ?? {});
  }
  return valueOf(el);
}

function valueOf(el: Element): Json {
  const attributes: [string, string][] = [];
  for (let i = 0; i < el.attributes.length; i++) {
    const attr = el.attributes.item(i)!;
    if (attr.name === 'xmlns' || attr.name.startsWith('xmlns:')) continue;
    attributes.push([`@${jsonKey(attr.localName ?? attr.name)}`, attr.value]);
  }
  let text = '';
  let hasElements = false;
  const arrays = new Set<string>();
  const obj: Record<string, Json> = {};
  for (let c: Node | null = el.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === NODE.text || c.nodeType === NODE.cdata) text += (c as unknown as { data: string }).data;
    else if (c.nodeType === NODE.processingInstruction) {
      const pi = c as unknown as { target: string; data: string };
      if (pi.target === 'xml-multiple') {
        const key = jsonKey(pi.data.trim());
        arrays.add(key);
        if (key !== '' && !(key in obj)) obj[key] = [];
      }
    } else if (c.nodeType === NODE.element) {
      hasElements = true;
      const child = c as Element;
      const key = jsonKey(localName(child));
      const value = itemValue(child);
      const existing = obj[key];
      if (existing === undefined) obj[key] = arrays.has(key) ? [value] : value;
      else if (Array.isArray(existing) && arrays.has(key)) existing.push(value);
      else if (Array.isArray(existing) && multiple.has(existing)) existing.push(value);
      else {
        const list = [existing, value];
        multiple.add(list);
        obj[key] = list;
      }
    }
  }
  if (!hasElements) {
    if (attributes.length === 0 && arrays.size === 0) return text === '' ? null : primitive(text);
    if (attributes.length === 0) return obj;
    const withAttributes: Record<string, Json> = Object.fromEntries(attributes);
    if (text !== '') withAttributes.$ = primitive(text);
    return Object.assign(withAttributes, obj);
  }
  if (attributes.length === 0 && text.trim() === '') return obj;
  const out: Record<string, Json> = Object.fromEntries(attributes);
  if (text.trim() !== '') out.$ = primitive(text.trim());
  return Object.assign(out, obj);
}

/** Arrays made from repeated elements (as opposed to a member that was one element holding an array). */
const multiple = new WeakSet<Json[]>();

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** MI's autoPrimitive: numbers, true, false and null become JSON values; anything else stays text. */
function primitive(text: string): Json {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  if (JSON_NUMBER.test(text)) {
    const n = Number(text);
    // An identifier such as 12345678901234567890 would lose digits as a double: it stays text.
    if (Number.isFinite(n) && (Number.isSafeInteger(n) || !/^-?\d+$/.test(text))) return n;
  }
  return text;
}

export function localName(node: Node): string {
  const n = node as unknown as { localName?: string | null; nodeName: string };
  return n.localName ?? n.nodeName.slice(n.nodeName.indexOf(':') + 1);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
