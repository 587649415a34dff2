// The shared command-line parser (src/cli/args.ts): strict, a value option given last is an error, repeatable
// options, and the one name=value reader that never writes through a prototype.
import { describe, expect, it } from 'vitest';
import { keyValuePairs, parseCommandLine } from '../../src/cli/args.js';

const OPTIONS = { catalogue: { type: 'string' }, 'dry-run': { type: 'boolean' }, property: { type: 'string', short: 'p', multiple: true } } as const;

function failure(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (err) {
    return err as { code: string; message: string };
  }
  throw new Error('expected a failure');
}

describe('parseCommandLine', () => {
  it('reads options, repeatable -p, positionals and --help', () => {
    const { values, positionals } = parseCommandLine('run', ['flow.xml', '-p', 'a=1', '--property=b=2', '--catalogue', 'cat', '--dry-run', '-h'], OPTIONS);
    expect(positionals).toEqual(['flow.xml']);
    expect(values).toMatchObject({ property: ['a=1', 'b=2'], catalogue: 'cat', 'dry-run': true, help: true });
  });

  it('a value option given last without its value is an error, not `true`', () => {
    const err = failure(() => parseCommandLine('invoke', ['getRecords', 'tableName=incident', '--catalogue'], OPTIONS));
    expect(err).toMatchObject({ code: 'INVALID_PARAMETER', message: 'invoke: option --catalogue needs a value' });
    expect(failure(() => parseCommandLine('run', ['flow.xml', '-p'], OPTIONS)).message).toBe('run: option -p (--property) needs a value');
    const ambiguous = failure(() => parseCommandLine('invoke', ['--catalogue', '--dry-run'], OPTIONS));
    expect(ambiguous.message).toMatch(/^invoke: option --catalogue needs a value \(for a value starting with -, write --catalogue=VALUE\)/);
  });

  it('an unknown or misspelt option, or a value on a flag, is an error naming it', () => {
    expect(failure(() => parseCommandLine('invoke', ['--dryrun'], OPTIONS)).message).toBe('invoke: unknown option --dryrun (options: --catalogue, --dry-run, --property, --help)');
    expect(failure(() => parseCommandLine('invoke', ['--dry-run=yes'], OPTIONS)).message).toBe('invoke: option --dry-run takes no value');
  });

  it('after --, a word starting with - is an operand', () => {
    expect(parseCommandLine('run', ['--', '-flow.xml'], OPTIONS).positionals).toEqual(['-flow.xml']);
  });
});

describe('keyValuePairs', () => {
  it('splits at the first =, keeps = in the value, a later name wins', () => {
    const pairs = keyValuePairs('run', ['q=a=b^c=d', 'x=1', 'x=2', 'empty='], '--property');
    expect({ ...pairs }).toEqual({ q: 'a=b^c=d', x: '2', empty: '' });
  });

  it('refuses an operand without a name', () => {
    expect(failure(() => keyValuePairs('run', ['novalue'], '--property')).message).toBe("run: --property expects name=value, got 'novalue'");
    expect(failure(() => keyValuePairs('run', ['=1'], '--property')).code).toBe('INVALID_PARAMETER');
  });

  it('refuses names that lead to a prototype instead of dropping or following them', () => {
    for (const name of ['__proto__', 'constructor', 'prototype']) {
      const err = failure(() => keyValuePairs('getRecords', [`${name}=x`], 'argument'));
      expect(err).toMatchObject({ code: 'INVALID_PARAMETER', parameter: name });
    }
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });
});
