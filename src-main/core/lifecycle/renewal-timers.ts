import { assertNever } from '../errors';
import type { AccountStatus } from '../model';
import type { Clock } from '../ports';
import { MAX_TIMER_MS } from './renewal-due';
import type { TimerApi } from './timer-api';

/**
 * One timer per account, at the account's next wake time; no polling loop.
 *
 * A wake time beyond the timer maximum is reached in steps: the timer is clamped to the maximum,
 * and when it fires early it is armed again for the same time. Only a timer that reached its
 * time calls `onDue`.
 */
export class RenewalTimers {
  private readonly armed = new Map<string, { handle: unknown; at: number }>();

  constructor(
    private readonly timers: TimerApi,
    private readonly clock: Clock,
    private readonly onDue: (accountId: string) => void,
  ) {}

  /** Arms the account's timer for `at`; null disarms it. Arming the same time again is a no-op. */
  arm(accountId: string, at: number | null): void {
    if (at === null) {
      this.disarm(accountId);
      return;
    }
    if (this.armed.get(accountId)?.at === at) return;
    this.disarm(accountId);
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, at - this.clock.now()));
    const handle = this.timers.setTimeout(() => this.fire(accountId, at), delay);
    this.armed.set(accountId, { handle, at });
  }

  disarm(accountId: string): void {
    const armed = this.armed.get(accountId);
    if (!armed) return;
    this.timers.clearTimeout(armed.handle);
    this.armed.delete(accountId);
  }

  disarmAll(): void {
    for (const accountId of [...this.armed.keys()]) this.disarm(accountId);
  }

  private fire(accountId: string, at: number): void {
    this.armed.delete(accountId);
    if (this.clock.now() < at) this.arm(accountId, at);
    else this.onDue(accountId);
  }
}

/** What decides when an account's timer should next fire. */
export interface WakeFacts {
  status: AccountStatus;
  /** A renewal is waiting for a provider slot or running; it re-arms when it ends. */
  busy: boolean;
  renewable: boolean;
  /** The jittered due time of the current token. */
  dueAt: number | null;
  /** When a failed renewal is retried. */
  retryAt: number | null;
  /** When the token stops being usable (skew allowance taken off). */
  usableUntil: number | null;
}

/** When the account's timer should next fire, or null when nothing will change on its own. */
export function nextWake(facts: WakeFacts): number | null {
  if (facts.busy) return null;
  const state = facts.status.state;
  switch (state) {
    case 'needs-reauth':
    case 'expired':
    case 'no-expiry':
    case 'refreshing':
      return null;
    case 'error':
      return facts.retryAt;
    case 'fresh':
      return facts.dueAt;
    case 'expiring':
      return facts.renewable ? facts.dueAt : facts.usableUntil;
    default:
      return assertNever(state, 'token state');
  }
}
