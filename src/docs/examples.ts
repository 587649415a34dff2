// Example values for the generated docs, read from each parameter's own declaration (no operation is named):
// "e.g. X" in its description, its default, its first enum value, or a value of its type and pattern.
import type { ParameterDescriptor } from '../catalogue/index.js';

const SAMPLE_SYS_ID = '46d44a5ea9fe1981000d8b5b8bc9b3c8';

export function exampleValue(p: ParameterDescriptor): string {
  const eg = /e\.g\. ([^\s,;)]+(?: [^\s,;)]+)?)/.exec(p.description);
  if (eg && p.type !== 'boolean') {
    const text = eg[1]!.replace(/[.]$/, '');
    if (!p.pattern || new RegExp(p.pattern).test(text)) return text;
    const first = text.split(' ')[0]!;
    if (!p.pattern || new RegExp(p.pattern).test(first)) return first;
  }
  if (p.default !== undefined) return p.default;
  if (p.enum && p.enum.length > 0) return p.enum[0]!;
  switch (p.type) {
    case 'boolean':
      return 'true';
    case 'integer':
    case 'number':
      return String(p.minimum !== undefined && p.minimum > 10 ? p.minimum : 10);
    case 'json':
      return p.shape === 'array' ? '[{"short_description": "Example"}]' : '{"short_description": "Example"}';
  }
  if (p.pattern && new RegExp(p.pattern).test(SAMPLE_SYS_ID)) return SAMPLE_SYS_ID;
  return `<${p.name}>`;
}
