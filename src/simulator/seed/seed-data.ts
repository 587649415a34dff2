// Deterministic seed data that looks like a fresh demo instance: users, groups, CIs, incidents, problems,
// changes, and the metadata tables (sys_db_object, sys_dictionary, sys_choice, transform maps) describing them.
import type { Database } from '../store/database.js';
import { isOverride } from '../store/schema.js';
import { parseGlideDateTime } from '../time.js';
import { TRANSFORM_MAPS } from './transform-maps.js';

/** Seed records are dated from here on, so the same seed gives the same data on every run. */
const SEED_EPOCH = parseGlideDateTime('2025-01-06 08:00:00')!;

export const SEED_USERS: readonly (readonly [userName: string, first: string, last: string, title: string])[] = [
  ['admin', 'System', 'Administrator', 'System Administrator'],
  ['itil', 'ITIL', 'User', 'Service Desk Agent'],
  ['abel.tuter', 'Abel', 'Tuter', 'Sales Manager'],
  ['beth.anglin', 'Beth', 'Anglin', 'Network Engineer'],
  ['bow.ruggeri', 'Bow', 'Ruggeri', 'Database Administrator'],
  ['charlie.whitherspoon', 'Charlie', 'Whitherspoon', 'Accountant'],
  ['david.loo', 'David', 'Loo', 'Hardware Technician'],
  ['don.goodliffe', 'Don', 'Goodliffe', 'Software Engineer'],
  ['fred.luddy', 'Fred', 'Luddy', 'Chief Technology Officer'],
  ['lucius.bagnoli', 'Lucius', 'Bagnoli', 'Network Engineer'],
  ['rachel.sanchez', 'Rachel', 'Sanchez', 'Product Manager'],
  ['ron.kettering', 'Ron', 'Kettering', 'Service Desk Agent'],
  ['sam.sorokin', 'Sam', 'Sorokin', 'Marketing Specialist'],
  ['zane.sulikowski', 'Zane', 'Sulikowski', 'Field Technician'],
];

const DEPARTMENTS = ['IT', 'Sales', 'Finance', 'Product Management', 'Customer Support'];

const GROUPS: readonly (readonly [name: string, description: string, manager: string])[] = [
  ['Service Desk', 'First line support', 'ron.kettering'],
  ['Network', 'Routers, switches, VPN and Wi-Fi', 'beth.anglin'],
  ['Database', 'Database servers and replication', 'bow.ruggeri'],
  ['Hardware', 'Laptops, desktops and printers', 'david.loo'],
  ['Software', 'Business applications', 'don.goodliffe'],
  ['CAB Approval', 'Change Advisory Board', 'fred.luddy'],
];

const CIS: readonly (readonly [name: string, ip: string])[] = [
  ['EXCH-SD-05', '10.0.1.15'],
  ['SAP Sales and Distribution', '10.0.2.20'],
  ['email server-01', '10.0.1.16'],
  ['lnux100', '10.0.3.100'],
  ['Storage Area Network 001', '10.0.4.1'],
  ['MailServerUS', '10.0.1.17'],
  ['PS LinuxApp01', '10.0.3.101'],
  ['Oracle FLX', '10.0.2.31'],
  ['Corporate VPN', '10.0.0.1'],
  ['Printer-3F-East', '10.0.5.33'],
];

export const INCIDENT_TEXTS: readonly (readonly [category: string, text: string])[] = [
  ['network', 'Unable to connect to the VPN from home'],
  ['hardware', 'Laptop battery does not charge'],
  ['software', 'Outlook crashes when opening attachments'],
  ['database', 'Nightly replication job failed on Oracle FLX'],
  ['inquiry', 'How do I request a new monitor?'],
  ['network', 'Wi-Fi drops every few minutes on the third floor'],
  ['software', 'SAP order entry screen times out'],
  ['hardware', 'Printer on 3F East shows paper jam'],
  ['inquiry', 'Password reset for the expense tool'],
  ['database', 'Slow queries on the reporting database'],
  ['software', 'Email not syncing to mobile phone'],
  ['network', 'Cannot reach the intranet after the router change'],
];

interface SeedIds {
  users: Map<string, string>;
  groups: string[];
  cis: string[];
}

export function seedDatabase(db: Database): void {
  const realClock = db.now;
  let tick = SEED_EPOCH;
  db.now = () => tick;
  try {
    seedMetadata(db);
    tick += 3600;
    const ids = seedReferenceData(db);
    seedTasks(db, ids, () => (tick += 3 * 3600 + 17 * 60));
  } finally {
    db.now = realClock;
  }
}

function seedReferenceData(db: Database): SeedIds {
  const departments = DEPARTMENTS.map((name, i) => db.insert('cmn_department', { name, id: `D${100 + i}` }, 'system').record.sys_id);
  const users = new Map<string, string>();
  SEED_USERS.forEach(([userName, first, last, title], i) => {
    const email = userName === 'admin' ? 'admin@example.com' : `${userName}@example.com`;
    const rec = db.insert(
      'sys_user',
      { user_name: userName, first_name: first, last_name: last, name: `${first} ${last}`, email, title, active: 'true', locked_out: 'false', department: departments[i % departments.length] },
      'system',
    ).record;
    users.set(userName, rec.sys_id);
  });
  const groups = GROUPS.map(
    ([name, description, manager]) =>
      db.insert('sys_user_group', { name, description, email: `${name.toLowerCase().replace(/ /g, '.')}@example.com`, manager: users.get(manager) ?? '', active: 'true' }, 'system').record.sys_id,
  );
  const cis = CIS.map(
    ([name, ip], i) =>
      db.insert(
        'cmdb_ci',
        { name, ip_address: ip, serial_number: `SN-${(48213 + i * 7919).toString(36).toUpperCase()}`, operational_status: i === 9 ? '2' : '1', assigned_to: [...users.values()][2 + (i % 10)], support_group: groups[i % groups.length], install_status: '1' },
        'system',
      ).record.sys_id,
  );
  return { users, groups, cis };
}

/** 40 incidents, 8 problems and 6 changes with references, choices and realistic states. */
function seedTasks(db: Database, ids: SeedIds, advance: () => number): void {
  const callers = [...ids.users.values()].slice(2);
  const agents = ['itil', 'beth.anglin', 'bow.ruggeri', 'david.loo', 'don.goodliffe', 'ron.kettering'].map((u) => ids.users.get(u)!);
  const problems: string[] = [];
  for (let i = 0; i < 8; i++) {
    advance();
    const [category, text] = INCIDENT_TEXTS[(i * 5) % INCIDENT_TEXTS.length];
    problems.push(
      db.insert(
        'problem',
        {
          short_description: `Recurring: ${text}`,
          description: `Several incidents report this (${category}).`,
          problem_state: ['101', '102', '103', '104', '106', '107'][i % 6],
          impact: String((i % 3) + 1),
          urgency: String(((i + 1) % 3) + 1),
          priority: String(Math.min(5, (i % 3) + 1 + ((i + 1) % 3))),
          assignment_group: ids.groups[i % 5],
          assigned_to: agents[i % agents.length],
          opened_by: ids.users.get('itil')!,
          known_error: i % 3 === 0 ? 'true' : 'false',
          active: i % 6 >= 4 ? 'false' : 'true',
          cmdb_ci: ids.cis[i % ids.cis.length],
        },
        'itil',
      ).record.sys_id,
    );
  }
  for (let i = 0; i < 40; i++) {
    const opened = advance();
    const [category, text] = INCIDENT_TEXTS[i % INCIDENT_TEXTS.length];
    const impact = (i % 3) + 1;
    const urgency = (Math.floor(i / 3) % 3) + 1;
    const state = ['1', '2', '2', '3', '6', '7', '1', '2', '7', '8'][i % 10];
    const closed = state === '7' || state === '8';
    const resolved = state === '6' || state === '7';
    db.insert(
      'incident',
      {
        short_description: text,
        description: `${text}. Reported by phone; user ${i % 2 === 0 ? 'has' : 'has not'} tried restarting.`,
        category,
        subcategory: category === 'network' ? 'vpn' : category === 'software' ? 'email' : '',
        impact: String(impact),
        urgency: String(urgency),
        priority: String(impact + urgency - 1),
        state,
        active: closed ? 'false' : 'true',
        caller_id: callers[i % callers.length],
        opened_by: ids.users.get(i % 4 === 0 ? 'admin' : 'itil')!,
        assignment_group: i % 7 === 6 ? '' : ids.groups[i % 5],
        assigned_to: i % 5 === 0 ? '' : agents[i % agents.length],
        cmdb_ci: i % 4 === 3 ? '' : ids.cis[i % ids.cis.length],
        contact_type: ['phone', 'email', 'self-service', 'walk-in'][i % 4],
        problem_id: i % 6 === 0 ? problems[i % problems.length] : '',
        correlation_id: i < 5 ? `EXT-${1000 + i}` : '',
        severity: String(((i + 2) % 3) + 1),
        reassignment_count: String(i % 3),
        resolved_at: resolved ? formatAfter(opened, 5 * 3600) : '',
        closed_at: closed ? formatAfter(opened, 26 * 3600) : '',
        close_code: resolved ? 'Solved (Permanently)' : '',
        close_notes: resolved ? 'Fixed after investigation.' : '',
        approval: 'not requested',
      },
      i % 4 === 0 ? 'admin' : 'itil',
    );
  }
  for (let i = 0; i < 6; i++) {
    const opened = advance();
    db.insert(
      'change_request',
      {
        short_description: ['Upgrade VPN concentrator firmware', 'Add memory to Oracle FLX', 'Patch Exchange servers', 'Replace printer 3F East', 'Rotate TLS certificates', 'Migrate lnux100 to new rack'][i],
        type: ['normal', 'standard', 'emergency'][i % 3],
        risk: ['2', '3', '4'][i % 3],
        impact: String((i % 3) + 1),
        urgency: '2',
        priority: String((i % 3) + 2),
        assignment_group: ids.groups[[1, 2, 4, 3, 1, 0][i]],
        assigned_to: agents[i % agents.length],
        cmdb_ci: ids.cis[[8, 7, 0, 9, 2, 3][i]],
        approval: ['approved', 'requested', 'approved', 'not requested', 'rejected', 'approved'][i],
        start_date: formatAfter(opened, 7 * 86400),
        end_date: formatAfter(opened, 7 * 86400 + 4 * 3600),
        active: 'true',
      },
      'admin',
    );
  }
}

function formatAfter(epochSeconds: number, plus: number): string {
  const d = new Date((epochSeconds + plus) * 1000).toISOString();
  return d.slice(0, 10) + ' ' + d.slice(11, 19);
}

/** sys_db_object, sys_dictionary and sys_choice rows for every table, plus the transform maps. */
function seedMetadata(db: Database): void {
  const objectIds = new Map<string, string>();
  const defs = db.tableDefs();
  const byName = new Map(defs.map((d) => [d.name, d]));
  const extended = new Set(defs.map((d) => d.superClass).filter((s): s is string => s !== undefined));
  for (const def of defs) {
    const rec = db.insert(
      'sys_db_object',
      { name: def.name, label: def.label, super_class: def.superClass ? (objectIds.get(def.superClass) ?? '') : '', number_ref: def.numberPrefix ?? '', is_extendable: extended.has(def.name) ? 'true' : 'false' },
      'system',
    ).record;
    objectIds.set(def.name, rec.sys_id);
  }
  for (const def of defs) {
    const table = db.table(def.name)!;
    // Child tables own only their new columns; system columns belong to the root of each hierarchy.
    const own = def.superClass ? def.fields : table.fields.filter((fd) => fd.name.startsWith('sys_') && !def.fields.includes(fd)).concat(def.fields);
    for (const fd of own) {
      // A child's redefinition of an inherited column is an override (its choices are the child's), not a new column.
      if (!(def.superClass && isOverride(def, fd.name, byName))) {
        db.insert(
          'sys_dictionary',
          {
            name: def.name,
            element: fd.name,
            column_label: fd.label,
            internal_type: fd.internalType ?? fd.type,
            reference: fd.reference ?? '',
            max_length: String(fd.maxLength ?? (fd.type === 'string' ? 40 : 0)),
            mandatory: fd.mandatory ? 'true' : 'false',
            default_value: fd.default ?? '',
            active: 'true',
          },
          'system',
        );
      }
      fd.choices?.forEach((c, i) =>
        db.insert('sys_choice', { name: def.name, element: fd.name, value: c.value, label: c.label, sequence: String(i * 10), language: 'en', inactive: 'false' }, 'system'),
      );
    }
  }
  TRANSFORM_MAPS.forEach((map, i) => {
    const mapId = db.insert('sys_transform_map', { name: map.name, source_table: map.sourceTable, target_table: map.targetTable, active: 'true', order: String(100 + i) }, 'system').record.sys_id;
    for (const fm of map.fieldMaps) {
      db.insert('sys_transform_entry', { map: mapId, source_field: fm.source, target_field: fm.target, coalesce: fm.coalesce ? 'true' : 'false', choice_action: fm.resolve === 'choice' ? 'create' : '' }, 'system');
    }
  });
}
