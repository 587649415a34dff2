import { describe, expect, it } from 'vitest';
import { compileQuery } from '../../../src/simulator/query/index.js';
import { environment, numbersOf } from './fixture.js';

const run = (query: string): string[] => numbersOf(compileQuery(query, environment()).matches);

describe('encoded query operators', () => {
  it('= and != on text are case-insensitive; != matches empty values', () => {
    expect(run('category=network')).toEqual(['INC001', 'INC004']);
    expect(run('category!=network')).toEqual(['INC002', 'INC003']);
    expect(run('number=INC002')).toEqual(['INC002']);
  });

  it('= with an empty value matches empty fields, != with an empty value the others', () => {
    expect(run('category=')).toEqual(['INC003']);
    expect(run('category!=')).toEqual(['INC001', 'INC002', 'INC004']);
  });

  it('choice values compare numerically (10 > 3)', () => {
    expect(run('priority<=2')).toEqual(['INC001', 'INC002']);
    expect(run('priority>3')).toEqual(['INC004']);
    expect(run('priority>=3')).toEqual(['INC003', 'INC004']);
    expect(run('priority<3')).toEqual(['INC001', 'INC002']);
  });

  it('integers and decimals compare numerically; empty values never satisfy an ordering', () => {
    expect(run('reassignment_count>2')).toEqual(['INC002', 'INC003']);
    expect(run('reassignment_count<3')).toEqual(['INC001']);
    expect(run('cost>=10.50')).toEqual(['INC001', 'INC004']);
    expect(run('cost=2.0')).toEqual(['INC002']);
  });

  it('a non-number against a numeric field matches nothing (and != everything)', () => {
    expect(run('reassignment_count=abc')).toEqual([]);
    expect(run('reassignment_count!=abc')).toHaveLength(4);
  });

  it('booleans: true/false and 1/0; an empty boolean is neither', () => {
    expect(run('active=true')).toEqual(['INC001', 'INC002']);
    expect(run('active=1')).toEqual(['INC001', 'INC002']);
    expect(run('active=false')).toEqual(['INC003']);
    expect(run('active!=true')).toEqual(['INC003', 'INC004']);
  });

  it('date-times compare as YYYY-MM-DD HH:mm:ss text; a bare date means its midnight', () => {
    expect(run('opened_at>2024-02-01 12:30:00')).toEqual(['INC003']);
    expect(run('opened_at>=2024-02-01 12:30:00')).toEqual(['INC002', 'INC003']);
    expect(run('opened_at<2024-02-01')).toEqual(['INC001']);
    expect(run('due_date<=2024-02-15')).toEqual(['INC001', 'INC002']);
  });

  it('LIKE / NOT LIKE (contains, case-insensitive; NOT LIKE includes empty values)', () => {
    expect(run('short_descriptionLIKEserver')).toEqual(['INC001']);
    expect(run('short_descriptionLIKEEMAIL')).toEqual(['INC001']);
    expect(run('subcategoryNOT LIKEnet')).toEqual(['INC002', 'INC003', 'INC004']);
    // Regular-expression characters are literal text.
    expect(run('short_descriptionLIKE.*')).toEqual([]);
    expect(run('short_descriptionLIKEa<=b (')).toEqual([]);
    expect(run('short_descriptionLIKE50% f')).toEqual(['INC003']);
  });

  it('values may contain operator characters', () => {
    expect(run('short_description=a<=b in formula')).toEqual(['INC002']);
    expect(run('short_descriptionLIKE50%')).toEqual(['INC003']);
    expect(run('short_descriptionSTARTSWITHa<=')).toEqual(['INC002']);
    expect(run('short_description!=a=b')).toHaveLength(4);
  });

  it('STARTSWITH and ENDSWITH', () => {
    expect(run('short_descriptionSTARTSWITHemail')).toEqual(['INC001']);
    expect(run('short_descriptionENDSWITHFULL')).toEqual(['INC003']);
    expect(run('numberSTARTSWITHINC00')).toHaveLength(4);
  });

  it('IN / NOT IN with type-aware membership', () => {
    expect(run('numberININC001,inc003')).toEqual(['INC001', 'INC003']);
    expect(run('priorityIN1,10')).toEqual(['INC001', 'INC004']);
    expect(run('reassignment_countIN0,3,7')).toEqual(['INC001', 'INC003']);
    expect(run('categoryNOT INnetwork,software')).toEqual(['INC003']);
    expect(run('categoryINsoftware,')).toEqual(['INC002', 'INC003']);
  });

  it('ISEMPTY, ISNOTEMPTY and ANYTHING', () => {
    expect(run('costISEMPTY')).toEqual(['INC003']);
    expect(run('costISNOTEMPTY')).toEqual(['INC001', 'INC002', 'INC004']);
    expect(run('costANYTHING')).toHaveLength(4);
  });

  it('BETWEEN is inclusive at both ends and type-aware', () => {
    expect(run('priorityBETWEEN2@10')).toEqual(['INC002', 'INC003', 'INC004']);
    expect(run('opened_atBETWEEN2024-01-05 08:00:00@2024-02-01 12:30:00')).toEqual(['INC001', 'INC002']);
    expect(run('costBETWEEN2@10.5')).toEqual(['INC001', 'INC002']);
  });

  it('SAMEAS / NSAMEAS compare two fields; an empty side is never the same', () => {
    expect(run('categorySAMEASsubcategory')).toEqual(['INC001']);
    expect(run('categoryNSAMEASsubcategory')).toEqual(['INC002', 'INC003', 'INC004']);
    expect(run('caller_idSAMEASopened_by')).toEqual(['INC001']);
  });

  it('dot-walks through references', () => {
    expect(run('caller_id.name=Abel Tuter')).toEqual(['INC001', 'INC004']);
    expect(run('caller_id.nameSTARTSWITHbeth')).toEqual(['INC002']);
    expect(run('caller_id.active=false')).toEqual(['INC002']);
    expect(run('caller_id.nameISEMPTY')).toEqual(['INC003']);
    expect(run('caller_id.nameSAMEASopened_by.name')).toEqual(['INC001']);
  });
});

describe('encoded query structure', () => {
  it('^ is AND', () => {
    expect(run('active=true^priority=2')).toEqual(['INC002']);
  });

  it('^OR binds tighter than ^', () => {
    // (priority=1 OR priority=3) AND active=false
    expect(run('priority=1^ORpriority=3^active=false')).toEqual(['INC003']);
    // active=false AND (priority=1 OR priority=3)
    expect(run('active=false^priority=1^ORpriority=3')).toEqual(['INC003']);
    expect(run('active=true^priority=2^ORpriority=10')).toEqual(['INC002']);
  });

  it('^NQ ORs whole queries', () => {
    expect(run('active=true^priority=1^NQpriority=10')).toEqual(['INC001', 'INC004']);
    expect(run('priority=1^NQpriority=2^NQpriority=3')).toEqual(['INC001', 'INC002', 'INC003']);
  });

  it('an empty query, stray carets and a trailing ^EQ match everything', () => {
    expect(run('')).toHaveLength(4);
    expect(run('^')).toHaveLength(4);
    expect(run('active=true^')).toEqual(['INC001', 'INC002']);
    expect(run('active=true^EQ')).toEqual(['INC001', 'INC002']);
    expect(run('active=true^NQ')).toEqual(['INC001', 'INC002']);
  });
});

describe('caret escaping', () => {
  it('^^ is a literal ^ by default', () => {
    expect(run('short_description=x^^y caret')).toEqual(['INC004']);
    expect(run('short_descriptionLIKE^^^active=')).toEqual(['INC004']);
  });

  it('with escaping off, ^^ is two separators', () => {
    const matches = compileQuery('short_descriptionLIKEx^^priority=10', environment({ caretEscape: false })).matches;
    expect(numbersOf(matches)).toEqual(['INC004']);
    // 'y caret' is then a condition of its own, which has no operator.
    expect(() => compileQuery('short_description=x^^y caret', environment({ caretEscape: false }))).toThrow(/unknown operator in 'y caret'/);
  });
});

describe('javascript: date helpers', () => {
  const now = (): number => Date.UTC(2024, 1, 3, 15, 0, 0); // 2024-02-03 15:00:00 UTC

  const withClock = (query: string): string[] => numbersOf(compileQuery(query, environment({ now })).matches);

  it('resolves gs.daysAgoStart, gs.beginningOfToday and gs.dateGenerate against the clock', () => {
    expect(withClock('opened_at>=javascript:gs.daysAgoStart(2)')).toEqual(['INC002', 'INC003']);
    expect(withClock('opened_at<javascript:gs.daysAgoStart(2)')).toEqual(['INC001']);
    expect(withClock('opened_at>javascript:gs.beginningOfToday()')).toEqual(['INC003']);
    expect(withClock("opened_atBETWEENjavascript:gs.dateGenerate('2024-01-01','start')@javascript:gs.dateGenerate('2024-02-01','end')")).toEqual(['INC001', 'INC002']);
    expect(withClock('due_date<javascript:gs.daysAgoEnd(0)')).toEqual(['INC001']);
  });

  it('refuses other scripts', () => {
    expect(() => compileQuery('caller_id=javascript:gs.getUserID()', environment({ now }))).toThrow(/getUserID/);
    expect(() => compileQuery('opened_at>javascript:new Date()', environment({ now }))).toThrow(/does not run scripts/);
  });
});
