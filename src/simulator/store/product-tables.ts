// Tables behind the CMDB Instance, Service Catalog and Change Management APIs (../api/cmdb-api.ts,
// catalog-api.ts, change-api.ts) that the base schema (tables/) does not have: the Linux server class and
// relations, catalog items and their variables, requests and requested items, approvals, conflicts and
// standard change templates. Field names follow ServiceNow's dictionary.
import { choice, f, ref, type TableDef } from './field-builders.js';

/** Requested item states and stages, in the order fulfilment walks through them. */
export const ITEM_STATES: readonly (readonly [string, string])[] = [
  ['1', 'Open'],
  ['2', 'Work in Progress'],
  ['3', 'Closed Complete'],
  ['4', 'Closed Incomplete'],
];
export const ITEM_STAGES: readonly (readonly [string, string])[] = [
  ['request_approved', 'Request Approved'],
  ['fulfillment', 'Fulfillment'],
  ['complete', 'Completed'],
];

const CMDB_CI_LINUX_SERVER: TableDef = {
  name: 'cmdb_ci_linux_server',
  label: 'Linux Server',
  superClass: 'cmdb_ci_server',
  displayField: 'name',
  fields: [f('kernel_release', 'Kernel release', 'string', { maxLength: 100 })],
};

const CMDB_REL_TYPE: TableDef = {
  name: 'cmdb_rel_type',
  label: 'CI Relationship Type',
  displayField: 'name',
  fields: [
    f('name', 'Name', 'string', { maxLength: 100 }),
    f('parent_descriptor', 'Parent descriptor', 'string', { maxLength: 50 }),
    f('child_descriptor', 'Child descriptor', 'string', { maxLength: 50 }),
  ],
};

const CMDB_REL_CI: TableDef = {
  name: 'cmdb_rel_ci',
  label: 'CI Relationship',
  displayField: 'type',
  fields: [ref('parent', 'Parent', 'cmdb_ci'), ref('child', 'Child', 'cmdb_ci'), ref('type', 'Type', 'cmdb_rel_type')],
};

const SC_CATALOG: TableDef = {
  name: 'sc_catalog',
  label: 'Catalog',
  displayField: 'title',
  fields: [f('title', 'Title', 'string', { maxLength: 100 }), f('active', 'Active', 'boolean')],
};

const SC_CATEGORY: TableDef = {
  name: 'sc_category',
  label: 'Category',
  displayField: 'title',
  fields: [f('title', 'Title', 'string', { maxLength: 100 }), ref('sc_catalog', 'Catalog', 'sc_catalog'), f('active', 'Active', 'boolean')],
};

const SC_CAT_ITEM: TableDef = {
  name: 'sc_cat_item',
  label: 'Catalog Item',
  displayField: 'name',
  fields: [
    f('name', 'Name', 'string', { maxLength: 100 }),
    f('short_description', 'Short description', 'string', { maxLength: 160 }),
    f('description', 'Description', 'string', { maxLength: 4000 }),
    f('price', 'Price', 'decimal'),
    ref('category', 'Category', 'sc_category'),
    ref('sc_catalogs', 'Catalogs', 'sc_catalog'),
    f('active', 'Active', 'boolean'),
    f('order', 'Order', 'integer'),
  ],
};

/** A catalog item's variables (questions). `type` is ServiceNow's number: 6 single line text, 7 check box, 5 select box. */
const ITEM_OPTION_NEW: TableDef = {
  name: 'item_option_new',
  label: 'Variable',
  displayField: 'question_text',
  fields: [
    ref('cat_item', 'Catalog item', 'sc_cat_item'),
    f('name', 'Name', 'string', { maxLength: 100 }),
    f('question_text', 'Question', 'string', { maxLength: 255 }),
    f('type', 'Type', 'integer'),
    f('mandatory', 'Mandatory', 'boolean'),
    f('default_value', 'Default value', 'string', { maxLength: 255 }),
    f('order', 'Order', 'integer'),
  ],
};

const SC_REQUEST: TableDef = {
  name: 'sc_request',
  label: 'Request',
  superClass: 'task',
  displayField: 'number',
  numberPrefix: 'REQ',
  fields: [
    ref('requested_for', 'Requested for', 'sys_user'),
    choice('request_state', 'Request state', [
      ['requested', 'Pending Approval'],
      ['in_process', 'Approved'],
      ['closed_complete', 'Closed Complete'],
    ]),
    f('price', 'Price', 'decimal'),
  ],
};

const SC_REQ_ITEM: TableDef = {
  name: 'sc_req_item',
  label: 'Requested Item',
  superClass: 'task',
  displayField: 'number',
  numberPrefix: 'RITM',
  fields: [
    ref('request', 'Request', 'sc_request'),
    ref('cat_item', 'Item', 'sc_cat_item'),
    ref('requested_for', 'Requested for', 'sys_user'),
    f('quantity', 'Quantity', 'integer'),
    choice('state', 'State', ITEM_STATES),
    choice('stage', 'Stage', ITEM_STAGES),
    f('variables', 'Variables', 'string', { maxLength: 4000 }),
  ],
};

const SYSAPPROVAL_APPROVER: TableDef = {
  name: 'sysapproval_approver',
  label: 'Approval',
  displayField: 'state',
  fields: [
    ref('approver', 'Approver', 'sys_user'),
    ref('sysapproval', 'Approval for', 'task'),
    choice('state', 'State', [
      ['not requested', 'Not Yet Requested'],
      ['requested', 'Requested'],
      ['approved', 'Approved'],
      ['rejected', 'Rejected'],
    ]),
    f('comments', 'Comments', 'journal'),
  ],
};

const CONFLICT: TableDef = {
  name: 'conflict',
  label: 'Conflict',
  displayField: 'type',
  fields: [
    ref('change', 'Change', 'change_request'),
    ref('conflicting_change', 'Conflicting change', 'change_request'),
    ref('configuration_item', 'Configuration item', 'cmdb_ci'),
    choice('type', 'Type', [
      ['ci_already_scheduled', 'Configuration Item Already Scheduled'],
      ['not_in_maintenance_window', 'Not In Maintenance Window'],
      ['blackout', 'Blackout'],
    ]),
  ],
};

/** Standard change templates: pre-approved changes whose fields come from `template` (field=value^field=value). */
const STD_CHANGE_RECORD_PRODUCER: TableDef = {
  name: 'std_change_record_producer',
  label: 'Standard Change Template',
  displayField: 'name',
  fields: [f('name', 'Name', 'string', { maxLength: 100 }), f('short_description', 'Short description', 'string', { maxLength: 160 }), f('template', 'Template', 'string', { maxLength: 4000 }), f('active', 'Active', 'boolean')],
};

/** Appended to the simulator's table list (schema.ts), after the tables they reference. */
export const PRODUCT_TABLE_DEFS: readonly TableDef[] = [
  CMDB_CI_LINUX_SERVER,
  CMDB_REL_TYPE,
  CMDB_REL_CI,
  SC_CATALOG,
  SC_CATEGORY,
  SC_CAT_ITEM,
  ITEM_OPTION_NEW,
  SC_REQUEST,
  SC_REQ_ITEM,
  SYSAPPROVAL_APPROVER,
  CONFLICT,
  STD_CHANGE_RECORD_PRODUCER,
];
