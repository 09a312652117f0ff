import { afterEach } from 'vitest';
import { TokendeckError } from '../../src-main/core/errors';
import {
  startLoopbackListener,
  type LoopbackListener,
  type LoopbackOptions,
} from '../../src-main/core/loopback';

/**
 * The loopback listener tests' way to start a listener: on /callback with the given state and a
 * minute's wait, closed after each test.
 */
export function listenerStarter(state: string) {
  let open: LoopbackListener[] = [];
  afterEach(() => {
    for (const listener of open) listener.close();
    open = [];
  });
  return async (extra: Partial<LoopbackOptions> = {}): Promise<LoopbackListener> => {
    const listener = await startLoopbackListener({
      path: '/callback',
      state,
      timeoutMs: 60_000,
      ...extra,
    });
    open.push(listener);
    return listener;
  };
}

/** The code a promise fails with; `resolved` when it does not fail. */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TokendeckError) return error.code;
    throw error;
  }
  return 'resolved';
}
