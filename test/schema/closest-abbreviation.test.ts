// "Did you mean": abbreviations as people write them, beside the edit-distance typos.
import { describe, expect, it } from 'vitest';
import { closestName } from '../../src/schema/index.js';

const fields = ['short_description', 'description', 'sys_updated_on', 'sys_updated_by', 'sys_created_on', 'assignment_group', 'urgency'].map((name) => ({ name }));

describe('closestName', () => {
  it('suggests the field an abbreviation stands for, part by part', () => {
    expect(closestName('short_desc', fields)).toBe('short_description');
    expect(closestName('assign_grp', fields)).toBeUndefined(); // 'grp' is not a prefix of 'group'
    expect(closestName('assignment_gr', fields)).toBe('assignment_group');
  });

  it('prefers the shortest name when several fit, and ignores too-short guesses', () => {
    expect(closestName('sys_upd_on', fields)).toBe('sys_updated_on');
    expect(closestName('sy', fields)).toBeUndefined();
  });

  it('keeps suggesting typos by edit distance first', () => {
    expect(closestName('urgncy', fields)).toBe('urgency');
    expect(closestName('short_descripton', fields)).toBe('short_description');
  });
});
