// A form generated from an operation's parameters: required marks, enums as selects, booleans as switches,
// integers with their bounds, patterns checked as you type, descriptions as help, secrets as password fields.
// Fields with a `when` show only while that other field has that value (the connection form's auth type).
import type { FieldView, OperationView } from '../api-types.js';
import { h } from './dom.js';

export interface GeneratedForm {
  element: HTMLElement;
  /** The values to send: only fields that are shown and filled in (a switch only when it differs from its default). */
  values(): Record<string, string>;
  /** Messages of the fields that are wrong now, each naming its field. */
  problems(): string[];
  set(name: string, value: string): void;
}

interface FieldControl {
  field: FieldView;
  row: HTMLElement;
  input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
  message: HTMLElement;
}

export function generateForm(op: OperationView, idPrefix: string, onChange: () => void, initial: Record<string, string> = {}): GeneratedForm {
  const controls = new Map<string, FieldControl>();
  const element = h('div', { class: 'form' });
  for (const [index, group] of op.groups.entries()) {
    // The first two groups (what the call needs, its query) open; paging and advanced options folded.
    const fieldset = h('details', { class: 'group', open: index < 2 || op.groups.length <= 2 }, h('summary', {}, group.name));
    for (const field of group.fields) {
      const control = fieldControl(field, `${idPrefix}-${field.name}`, initial[field.name]);
      controls.set(field.name, control);
      fieldset.append(control.row);
    }
    element.append(fieldset);
  }

  const visible = (c: FieldControl): boolean => {
    const when = c.field.when;
    if (!when) return true;
    const other = controls.get(when.parameter);
    return other !== undefined && currentText(other) === when.equals;
  };
  const refresh = (): void => {
    for (const c of controls.values()) {
      const shown = visible(c);
      c.row.hidden = !shown;
      const problem = shown ? problemOf(c) : undefined;
      c.message.textContent = problem ?? '';
      if (problem) c.input.setAttribute('aria-invalid', 'true');
      else c.input.removeAttribute('aria-invalid');
    }
  };
  element.addEventListener('input', () => {
    refresh();
    onChange();
  });
  element.addEventListener('change', () => {
    refresh();
    onChange();
  });
  refresh();

  return {
    element,
    values() {
      const out: Record<string, string> = {};
      for (const c of controls.values()) {
        if (!visible(c)) continue;
        const value = valueOf(c);
        if (value !== undefined) out[c.field.name] = value;
      }
      return out;
    },
    problems() {
      const out: string[] = [];
      for (const c of controls.values()) {
        if (!visible(c)) continue;
        const p = problemOf(c);
        if (p) out.push(`${c.field.name}: ${p}`);
      }
      return out;
    },
    set(name, value) {
      const c = controls.get(name);
      if (!c) return;
      if (c.input instanceof HTMLInputElement && c.input.type === 'checkbox') c.input.checked = value === 'true';
      else c.input.value = value;
      refresh();
    },
  };
}

function fieldControl(field: FieldView, id: string, initial: string | undefined): FieldControl {
  const helpId = `${id}-help`;
  const messageId = `${id}-msg`;
  const described = `${helpId} ${messageId}`;
  let input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
  if (field.enum) {
    input = h('select', { id, name: field.name, 'aria-describedby': described, 'aria-required': field.required ? 'true' : undefined },
      h('option', { value: '' }, field.default !== undefined ? `(default: ${field.default})` : '(not set)'),
      field.enum.map((v) => h('option', { value: v }, v)));
  } else if (field.type === 'boolean') {
    input = h('input', { id, name: field.name, type: 'checkbox', role: 'switch', 'aria-describedby': described });
    input.checked = (initial ?? field.default) === 'true';
  } else if (field.type === 'json' || field.type === 'binary') {
    input = h('textarea', { id, name: field.name, rows: 4, spellcheck: 'false', 'aria-describedby': described, 'aria-required': field.required ? 'true' : undefined, placeholder: field.type === 'json' ? (field.shape === 'array' ? '[ ... ]' : '{ ... }') : 'text content' });
  } else {
    const numeric = field.type === 'integer' || field.type === 'number';
    input = h('input', {
      id,
      name: field.name,
      type: field.secret ? 'password' : numeric ? 'number' : 'text',
      autocomplete: field.secret ? 'new-password' : 'off',
      spellcheck: 'false',
      inputmode: numeric ? (field.type === 'integer' ? 'numeric' : 'decimal') : undefined,
      step: field.type === 'integer' ? 1 : undefined,
      min: field.minimum,
      max: field.maximum,
      placeholder: field.default !== undefined ? `default: ${field.default}` : undefined,
      'aria-describedby': described,
      'aria-required': field.required ? 'true' : undefined,
    });
  }
  if (initial !== undefined && !(input instanceof HTMLInputElement && input.type === 'checkbox')) input.value = initial;
  const constraints: string[] = [];
  if (field.type !== 'string' && field.type !== 'boolean') constraints.push(field.type === 'json' ? `JSON ${field.shape ?? 'object'}` : field.type);
  if (field.minimum !== undefined) constraints.push(`min ${field.minimum}`);
  if (field.maximum !== undefined) constraints.push(`max ${field.maximum}`);
  if (field.pattern) constraints.push(`pattern ${field.pattern}`);
  if (field.when) constraints.push(`used when ${field.when.parameter} = ${field.when.equals}`);
  const label = h('label', { for: id }, h('code', {}, field.name), field.required ? h('abbr', { class: 'req', title: 'required' }, '*') : null);
  const row = h('div', { class: `field${field.type === 'boolean' ? ' switch' : ''}` },
    label,
    input,
    h('small', { id: helpId, class: 'help' }, field.description, constraints.length > 0 ? h('span', { class: 'constraints' }, ` (${constraints.join('; ')})`) : null),
    h('span', { id: messageId, class: 'msg', role: 'alert' }),
  );
  const message = row.querySelector('.msg') as HTMLElement;
  return { field, row, input, message };
}

function currentText(c: FieldControl): string {
  if (c.input instanceof HTMLInputElement && c.input.type === 'checkbox') return c.input.checked ? 'true' : 'false';
  return c.input.value === '' ? (c.field.default ?? '') : c.input.value;
}

function valueOf(c: FieldControl): string | undefined {
  if (c.input instanceof HTMLInputElement && c.input.type === 'checkbox') {
    const on = c.input.checked;
    return on === ((c.field.default ?? 'false') === 'true') ? undefined : String(on);
  }
  return c.input.value === '' ? undefined : c.input.value;
}

/** What is wrong with the field's value now, if anything (checked as the user types, before anything is sent). */
function problemOf(c: FieldControl): string | undefined {
  const f = c.field;
  if (c.input instanceof HTMLInputElement && c.input.type === 'checkbox') return undefined;
  const value = c.input.value;
  if (value === '') return f.required ? 'required' : undefined;
  if (c.input instanceof HTMLInputElement && c.input.type === 'number' && c.input.validity.badInput) return `not a${f.type === 'integer' ? 'n integer' : ' number'}`;
  if (f.type === 'integer' || f.type === 'number') {
    const n = Number(value);
    if (!Number.isFinite(n) || (f.type === 'integer' && !Number.isInteger(n))) return `not a${f.type === 'integer' ? 'n integer' : ' number'}: ${value}`;
    if (f.minimum !== undefined && n < f.minimum) return `must be at least ${f.minimum}`;
    if (f.maximum !== undefined && n > f.maximum) return `must be at most ${f.maximum}`;
  }
  if (f.type === 'json') {
    try {
      const parsed = JSON.parse(value) as unknown;
      const isArray = Array.isArray(parsed);
      if ((f.shape ?? 'object') === 'array' ? !isArray : isArray || parsed === null || typeof parsed !== 'object') return `must be a JSON ${f.shape ?? 'object'}`;
    } catch (err) {
      return `not JSON: ${(err as Error).message}`;
    }
  }
  if (f.pattern && !safeTest(f.pattern, value)) return `does not match ${f.pattern}`;
  return undefined;
}

function safeTest(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(value);
  } catch {
    return true;
  }
}
