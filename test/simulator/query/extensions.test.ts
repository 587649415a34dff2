import { describe, expect, it } from 'vitest';
import { compileQuery, QuerySyntaxError } from '../../../src/simulator/query/index.js';
import { environment, numbersOf } from './fixture.js';

// 2024-02-03 15:00:00 UTC
const now = (): number => Date.UTC(2024, 1, 3, 15, 0, 0);
const run = (query: string): string[] => numbersOf(compileQuery(query, environment({ now })).matches);

describe('condition-builder operators beyond the documented list', () => {
  it('EMPTYSTRING matches empty values', () => {
    expect(run('categoryEMPTYSTRING')).toEqual(['INC003']);
  });

  it('GT_FIELD, LT_FIELD and their OR_EQUALS forms compare two fields by type', () => {
    // priority (choice) vs reassignment_count (compared as the first field's type: numbers)
    expect(run('reassignment_countGT_FIELDpriority')).toEqual(['INC002']);
    expect(run('reassignment_countLT_FIELDpriority')).toEqual(['INC001']);
    expect(run('reassignment_countGT_OR_EQUALS_FIELDpriority')).toEqual(['INC002', 'INC003']);
    expect(run('reassignment_countLT_OR_EQUALS_FIELDpriority')).toEqual(['INC001', 'INC003']);
  });

  it('ON / NOTON take label@start@end with gs helpers', () => {
    expect(run("opened_atONFeb 1@javascript:gs.dateGenerate('2024-02-01','start')@javascript:gs.dateGenerate('2024-02-01','end')")).toEqual(['INC002']);
    expect(run("opened_atNOTONFeb 1@javascript:gs.dateGenerate('2024-02-01','start')@javascript:gs.dateGenerate('2024-02-01','end')")).toEqual([
      'INC001',
      'INC003',
      'INC004',
    ]);
    expect(run('opened_atONToday@javascript:gs.beginningOfToday()@javascript:gs.endOfToday()')).toEqual([]);
    expect(run("due_dateONx@javascript:gs.dateGenerate('2024-03-01','start')@javascript:gs.dateGenerate('2024-03-01','end')")).toEqual(['INC004']);
  });

  it('RELATIVEGT/GE/LT/LE count units back or ahead from now', () => {
    expect(run('opened_atRELATIVEGT@day@ago@29')).toEqual(['INC002', 'INC003']);
    expect(run('opened_atRELATIVELT@day@ago@29')).toEqual(['INC001']);
    expect(run('opened_atRELATIVEGE@hour@ago@51')).toEqual(['INC002', 'INC003']);
    expect(run('opened_atRELATIVELE@month@ahead@1')).toEqual(['INC001', 'INC002']);
    expect(run('opened_atRELATIVEGT@year@ago@1')).toEqual(['INC001', 'INC002', 'INC003']);
  });

  it('rejects malformed or misapplied date operators', () => {
    expect(() => run('opened_atONToday')).toThrow(/ON needs 'label@start@end'/);
    expect(() => run('opened_atRELATIVEGT@fortnight@ago@1')).toThrow(/RELATIVEGT needs '@unit@ago\|ahead@count'/);
    expect(() => run('numberRELATIVEGT@day@ago@1')).toThrow(QuerySyntaxError);
    expect(() => run('numberRELATIVEGT@day@ago@1')).toThrow(/RELATIVEGT compares dates, but 'number' is of type string/);
    expect(() => run('reassignment_countGT_FIELDNot a field')).toThrow(/not a field name/);
  });
});
