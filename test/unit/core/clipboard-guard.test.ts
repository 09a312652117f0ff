import { describe, expect, it, vi } from 'vitest';
import { createClipboardGuard, type GuardTimers } from '../../../src-main/core/clipboard-guard';
import { createMemoryClipboard } from '../../helpers/fake-ports';

/** Timers a test fires by hand. */
function manualTimers() {
  const pending = new Map<number, () => void>();
  let next = 0;
  const timers: GuardTimers = {
    setTimeout: (callback) => {
      next += 1;
      pending.set(next, callback);
      return next;
    },
    clearTimeout: (handle) => void pending.delete(handle as number),
  };
  return {
    timers,
    pending,
    async fireAll() {
      const callbacks = [...pending.values()];
      pending.clear();
      for (const callback of callbacks) callback();
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

describe('clipboard guard', () => {
  it('clears the clipboard after the delay when it still holds the copied text', async () => {
    const clipboard = createMemoryClipboard();
    const clock = manualTimers();
    const guard = createClipboardGuard(clipboard, { timers: clock.timers });
    await guard.write('secret-token', 45_000);
    expect(clipboard.text).toBe('secret-token');
    await clock.fireAll();
    expect(clipboard.text).toBeNull();
  });

  it('leaves text the user copied since', async () => {
    const clipboard = createMemoryClipboard();
    const clock = manualTimers();
    const guard = createClipboardGuard(clipboard, { timers: clock.timers });
    await guard.write('secret-token', 45_000);
    clipboard.writeText('the user’s own text');
    await clock.fireAll();
    expect(clipboard.text).toBe('the user’s own text');
  });

  it('clears on dispose (quit) only what is still ours, and cancels the timer', async () => {
    const clipboard = createMemoryClipboard();
    const clock = manualTimers();
    const guard = createClipboardGuard(clipboard, { timers: clock.timers });
    await guard.write('secret-token', 45_000);
    await guard.dispose();
    expect(clipboard.text).toBeNull();
    expect(clock.pending.size).toBe(0);

    await guard.write('another', null);
    clipboard.writeText('mine');
    await guard.dispose();
    expect(clipboard.text).toBe('mine');
  });

  it('asks the clipboard to conceal only what the caller marks as a secret', async () => {
    const clipboard = createMemoryClipboard();
    const guard = createClipboardGuard(clipboard, { timers: manualTimers().timers });
    await guard.write('secret-token', 45_000, { conceal: true });
    expect(clipboard.concealed).toBe(true);
    await guard.write('https://auth.example/authorize', null);
    expect(clipboard.concealed).toBe(false);
  });

  it('a newer copy replaces the older timer; null never schedules', async () => {
    const clipboard = createMemoryClipboard();
    const clock = manualTimers();
    const guard = createClipboardGuard(clipboard, { timers: clock.timers });
    await guard.write('first', 1000);
    await guard.write('second', null);
    expect(clock.pending.size).toBe(0);
    await clock.fireAll();
    expect(clipboard.text).toBe('second');
  });

  it('reports a failing clipboard to onError instead of throwing at the timer', async () => {
    const clock = manualTimers();
    const onError = vi.fn();
    const guard = createClipboardGuard(
      {
        writeText: () => undefined,
        readText: () => Promise.reject(new Error('no clipboard')),
        clear: () => undefined,
      },
      { timers: clock.timers, onError },
    );
    await guard.write('x', 10);
    await clock.fireAll();
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'no clipboard' }));
  });

  it('dispose (quit) resolves when the clipboard fails, so closing goes on', async () => {
    const onError = vi.fn();
    const guard = createClipboardGuard(
      {
        writeText: () => undefined,
        readText: () => Promise.reject(new Error('no clipboard')),
        clear: () => undefined,
      },
      { timers: manualTimers().timers, onError },
    );
    await guard.write('secret-token', null);
    await expect(guard.dispose()).resolves.toBeUndefined();
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'no clipboard' }));
  });
});
