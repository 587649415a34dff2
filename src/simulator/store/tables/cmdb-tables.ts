// The CMDB classes the simulator serves: cmdb_ci -> cmdb_ci_hardware -> cmdb_ci_computer -> cmdb_ci_server, and the
// model table a computer's model_id points at. Fields as a fresh instance defines them.
import { bool, choice, date, f, int, ref, str, type TableDef } from '../field-builders.js';

export const CMDB_CI: TableDef = {
  name: 'cmdb_ci',
  label: 'Configuration Item',
  displayField: 'name',
  fields: [
    str('name', 'Name', 255),
    str('asset_tag', 'Asset tag', 40),
    str('serial_number', 'Serial number', 255),
    str('ip_address', 'IP Address', 255, { internalType: 'ip_addr' }),
    str('mac_address', 'MAC Address', 255),
    str('fqdn', 'Fully qualified domain name', 255),
    str('dns_domain', 'DNS Domain', 255),
    f('short_description', 'Description', 'string', { maxLength: 1000 }),
    choice(
      'operational_status',
      'Operational status',
      [
        ['1', 'Operational'],
        ['2', 'Non-Operational'],
        ['3', 'Repair in Progress'],
        ['4', 'DR Standby'],
        ['5', 'Ready'],
        ['6', 'Retired'],
      ],
      { default: '1' },
    ),
    choice(
      'install_status',
      'Status',
      [
        ['1', 'Installed'],
        ['2', 'On Order'],
        ['3', 'In Maintenance'],
        ['4', 'Pending Install'],
        ['5', 'Pending Repair'],
        ['6', 'In Stock'],
        ['7', 'Retired'],
        ['100', 'Absent'],
      ],
      { default: '1' },
    ),
    ref('assigned_to', 'Assigned to', 'sys_user'),
    ref('managed_by', 'Managed by', 'sys_user'),
    ref('owned_by', 'Owned by', 'sys_user'),
    ref('support_group', 'Support group', 'sys_user_group'),
    ref('assignment_group', 'Change Group', 'sys_user_group'),
    ref('manufacturer', 'Manufacturer', 'core_company'),
    ref('vendor', 'Vendor', 'core_company'),
    ref('company', 'Company', 'core_company'),
    ref('location', 'Location', 'cmn_location'),
    ref('department', 'Department', 'cmn_department'),
    ref('model_id', 'Model ID', 'cmdb_model'),
    str('model_number', 'Model number', 255),
    choice('category', 'Category', [['Resource', 'Resource']]),
    str('subcategory', 'Subcategory', 40),
    str('discovery_source', 'Discovery source', 40),
    date('first_discovered', 'First discovered'),
    date('last_discovered', 'Most recent discovery'),
    f('install_date', 'Installed', 'glide_date_time'),
    f('warranty_expiration', 'Warranty expiration', 'glide_date'),
    bool('monitor', 'Monitor', false),
    bool('unverified', 'Unverified', false),
    bool('skip_sync', 'Skip sync', false),
    str('correlation_id', 'Correlation ID', 100),
    str('attributes', 'Attributes', 4000),
    str('sys_domain', 'Domain', 32, { internalType: 'domain_id', default: 'global' }),
    str('sys_domain_path', 'Domain Path', 255, { internalType: 'domain_path', default: '/' }),
  ],
};

export const CMDB_CI_HARDWARE: TableDef = {
  name: 'cmdb_ci_hardware',
  label: 'Hardware',
  superClass: 'cmdb_ci',
  displayField: 'name',
  fields: [
    choice('hardware_status', 'Hardware Status', [
      ['installed', 'Installed'],
      ['in_maintenance', 'In Maintenance'],
      ['retired', 'Retired'],
    ], { default: 'installed' }),
    str('hardware_substatus', 'Hardware Substatus', 40),
    str('default_gateway', 'Default gateway', 255),
    bool('virtual', 'Is Virtual', false),
  ],
};

export const CMDB_CI_COMPUTER: TableDef = {
  name: 'cmdb_ci_computer',
  label: 'Computer',
  superClass: 'cmdb_ci_hardware',
  displayField: 'name',
  fields: [
    str('os', 'Operating System', 40),
    str('os_version', 'OS Version', 40),
    str('os_service_pack', 'OS Service Pack', 40),
    str('os_address_width', 'OS Address Width (bits)', 40),
    int('cpu_count', 'CPU count'),
    int('cpu_core_count', 'CPU core count'),
    int('cpu_speed', 'CPU speed (MHz)'),
    str('cpu_type', 'CPU type', 40),
    str('cpu_manufacturer', 'CPU manufacturer', 32),
    int('ram', 'RAM (MB)'),
    f('disk_space', 'Disk space (GB)', 'decimal'),
    str('host_name', 'Host name', 255),
    str('os_domain', 'OS Domain', 255),
    str('form_factor', 'Form factor', 40),
    str('chassis_type', 'Chassis type', 40),
    bool('firewall_status', 'Firewall status', false),
  ],
};

export const CMDB_CI_SERVER: TableDef = {
  name: 'cmdb_ci_server',
  label: 'Server',
  superClass: 'cmdb_ci_computer',
  displayField: 'name',
  fields: [str('classification', 'Classification', 40, { default: 'Production' }), str('used_for', 'Used for', 40, { default: 'Production' })],
};

export const CMDB_MODEL: TableDef = {
  name: 'cmdb_model',
  label: 'Product Model',
  displayField: 'display_name',
  fields: [str('name', 'Name', 255), str('display_name', 'Display name', 255), ref('manufacturer', 'Manufacturer', 'core_company'), str('model_number', 'Model number', 100), choice('status', 'Status', [['In Production', 'In Production'], ['Retired', 'Retired']], { default: 'In Production' })],
};
