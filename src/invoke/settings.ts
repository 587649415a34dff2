// Builds the transport's ConnectionSettings from the validated init parameters, following the
// <connection><setting name="a.b" from="param"/></connection> mapping declared in the init operation.
import type { CompiledOperation } from '../catalogue/index.js';
import type { ConnectionSettings } from '../http/index.js';
import { toText } from '../catalogue/index.js';
import { writeAtPath } from '../context/index.js';

export function buildSettings(init: CompiledOperation, values: Readonly<Record<string, unknown>>): ConnectionSettings {
  const settings: Record<string, unknown> = {};
  for (const s of init.descriptor.connection ?? []) {
    if (s.when && toText(values[s.when.parameter]) !== s.when.equals) continue;
    let value = values[s.from];
    if (value === undefined) continue;
    if (s.stripTrailing !== undefined && typeof value === 'string') {
      let text = value;
      while (text.endsWith(s.stripTrailing)) text = text.slice(0, -s.stripTrailing.length);
      value = text;
    }
    setPath(settings, s.name, value);
  }
  return settings as unknown as ConnectionSettings;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const steps = path.split('.').map((name) => ({ type: 'key' as const, name }));
  writeAtPath(target, steps, () => value, `init: connection setting '${path}'`);
}
