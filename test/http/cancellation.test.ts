// The runtime's cheap abort source: it aborts once with its reason, follows an AbortSignal or another Cancellation
// until detached, and gives an AbortSignal (made on first use) that fires with it.
import { describe, expect, it } from 'vitest';
import { Cancellation } from '../../src/cancellation.js';

describe('Cancellation', () => {
  it('aborts once, keeping the first reason, and its signal fires with it (made before or after the abort)', () => {
    const c = new Cancellation();
    const early = c.signal;
    let fired = 0;
    c.on('abort', () => fired++);
    c.abort('first');
    c.abort('second');
    expect([c.aborted, c.reason, fired]).toEqual([true, 'first', 1]);
    expect([early.aborted, early.reason]).toEqual([true, 'first']);
    const late = new Cancellation();
    late.abort('gone');
    expect([late.signal.aborted, late.signal.reason]).toEqual([true, 'gone']);
  });

  it('follows an AbortSignal or a Cancellation until detached', () => {
    const controller = new AbortController();
    const bySignal = new Cancellation();
    bySignal.follow(controller.signal);
    controller.abort('client left');
    expect(bySignal.reason).toBe('client left');

    const parent = new Cancellation();
    const child = new Cancellation();
    const detach = child.follow(parent);
    detach();
    parent.abort('late');
    expect(child.aborted).toBe(false);
    expect(parent.listenerCount('abort')).toBe(0);

    const already = new Cancellation();
    already.follow(parent);
    expect(already.reason).toBe('late');
  });
});
