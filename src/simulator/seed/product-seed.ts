// Seed records for the CMDB Instance, Service Catalog and Change Management APIs, added after the base seed
// (seed-data.ts) with a fixed clock so the same seed gives the same data: Linux servers with relations, a
// catalog of orderable items with variables, and states, tasks, approvals and a conflict for the seeded changes.
import type { Database } from '../store/database.js';
import { parseGlideDateTime } from '../time.js';

const SEED_EPOCH = parseGlideDateTime('2025-02-03 08:00:00')!;

export const REL_TYPES: readonly (readonly [parent: string, child: string])[] = [
  ['Depends on', 'Used by'],
  ['Runs on', 'Runs'],
  ['Exchanges data with', 'Exchanges data with'],
];

const LINUX_SERVERS: readonly (readonly [name: string, ip: string, ram: string])[] = [
  ['lnux101', '10.0.3.110', '8192'],
  ['lnux102', '10.0.3.111', '16384'],
  ['PS LinuxApp02', '10.0.3.102', '4096'],
];

/** name, short description, price, category, variables [name, question, type, mandatory, default]. */
const ITEMS: ReadonlyArray<readonly [string, string, string, string, ReadonlyArray<readonly [string, string, string, string, string]>]> = [
  ['Standard Laptop', 'Lenovo ThinkPad T14 for office work', '1100', 'Hardware', [
    ['acrobat', 'Adobe Acrobat', '7', 'false', 'false'],
    ['additional_software', 'Additional software requirements', '2', 'false', ''],
  ]],
  ['Apple iPad 3', 'Apple iPad 3 with Retina display', '600', 'Hardware', [['color', 'Color', '5', 'false', 'black']]],
  ['New Email Account', 'A mailbox for a new hire or a team', '0', 'Software', [
    ['email_alias', 'Email alias', '6', 'true', ''],
    ['shared', 'Shared mailbox', '7', 'false', 'false'],
  ]],
  ['Adobe Acrobat Pro', 'PDF editor licence', '450', 'Software', []],
];

export function seedProductData(db: Database): void {
  const realClock = db.now;
  let tick = SEED_EPOCH;
  db.now = () => (tick += 60);
  try {
    seedCmdb(db);
    seedCatalog(db);
    seedChanges(db);
  } finally {
    db.now = realClock;
  }
}

function all(db: Database, table: string): Array<Record<string, string>> {
  const t = db.table(table)!;
  return [...t.liveSlots()].map((slot) => t.record(slot));
}

function seedCmdb(db: Database): void {
  const types = REL_TYPES.map(([p, c]) => db.insert('cmdb_rel_type', { name: `${p}::${c}`, parent_descriptor: p, child_descriptor: c }, 'system').record.sys_id);
  const servers = LINUX_SERVERS.map(
    ([name, ip, ram]) =>
      db.insert('cmdb_ci_linux_server', { name, ip_address: ip, ram, cpu_count: '4', os: 'Linux Red Hat', os_version: '9.4', kernel_release: '5.14.0', operational_status: '1', install_status: '1', discovery_source: 'ServiceNow' }, 'system').record.sys_id,
  );
  const byName = new Map(all(db, 'cmdb_ci').map((r) => [r.name, r.sys_id]));
  const relate = (parent: string, child: string, type: number) => db.insert('cmdb_rel_ci', { parent, child, type: types[type]! }, 'system');
  relate(servers[0]!, byName.get('Oracle FLX')!, 0);
  relate(servers[0]!, servers[1]!, 2);
  relate(byName.get('SAP Sales and Distribution')!, servers[0]!, 1);
  relate(servers[2]!, byName.get('PS LinuxApp01')!, 0);
}

function seedCatalog(db: Database): void {
  const catalog = db.insert('sc_catalog', { title: 'Service Catalog', active: 'true' }, 'system').record.sys_id;
  const categories = new Map<string, string>();
  for (const title of ['Hardware', 'Software']) categories.set(title, db.insert('sc_category', { title, sc_catalog: catalog, active: 'true' }, 'system').record.sys_id);
  ITEMS.forEach(([name, short, price, category, variables], i) => {
    const item = db.insert('sc_cat_item', { name, short_description: short, description: `<p>${short}</p>`, price, category: categories.get(category)!, sc_catalogs: catalog, active: 'true', order: String(i * 10) }, 'system').record.sys_id;
    variables.forEach(([vname, question, type, mandatory, value], n) =>
      db.insert('item_option_new', { cat_item: item, name: vname, question_text: question, type, mandatory, default_value: value, order: String(n * 100) }, 'system'),
    );
  });
}

function seedChanges(db: Database): void {
  for (const [name, template] of [
    ['Reboot a Linux server', 'short_description=Reboot a Linux server^risk=4^impact=3^urgency=3'],
    ['Rotate a TLS certificate', 'short_description=Rotate a TLS certificate^risk=4^impact=2^urgency=3'],
  ] as const) {
    db.insert('std_change_record_producer', { name, short_description: name, template, active: 'true' }, 'system');
  }
  const users = new Map(all(db, 'sys_user').map((u) => [u.user_name, u.sys_id]));
  const cab = users.get('fred.luddy')!;
  const stateOf: Record<string, string> = { approved: '-2', requested: '-3', 'not requested': '-5', rejected: '4' };
  const changes = all(db, 'change_request');
  changes.forEach((c, i) => {
    db.update('change_request', c.sys_id, { state: stateOf[c.approval] ?? '-5' }, 'system');
    if (c.approval !== 'not requested') db.insert('sysapproval_approver', { approver: cab, sysapproval: c.sys_id, state: c.approval === 'rejected' ? 'rejected' : c.approval }, 'system');
    if (i < 2) {
      for (const [type, text] of [['planning', 'Plan the work'], ['implementation', 'Carry out the change']] as const) {
        db.insert('change_task', { change_request: c.sys_id, change_task_type: type, short_description: `${text}: ${c.short_description}`, state: '1', assignment_group: c.assignment_group }, 'system');
      }
    }
  });
  // The first two changes touch CIs scheduled at the same time: one conflict.
  if (changes.length > 1) db.insert('conflict', { change: changes[0]!.sys_id, conflicting_change: changes[1]!.sys_id, configuration_item: changes[0]!.cmdb_ci, type: 'ci_already_scheduled' }, 'system');
}
