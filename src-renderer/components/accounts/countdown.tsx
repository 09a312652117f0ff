import { formatCountdown, formatRelative } from '../../format/time';
import { useSecondTicker, useSlowTicker } from '../use-ticker';

/** The live time to expiry; re-renders itself every second, and nothing around it. */
export function Countdown({ expiresAt }: { expiresAt: number | null }) {
  const now = useSecondTicker();
  const soon = expiresAt !== null && expiresAt - now < 5 * 60_000;
  return (
    <span className={`countdown${soon ? ' countdown--soon' : ''}`}>
      {formatCountdown(expiresAt, now)}
    </span>
  );
}

/** "3 min ago", refreshed every 30 s. */
export function Ago({ at, prefix }: { at: number; prefix: string }) {
  const now = useSlowTicker();
  return (
    <span>
      {prefix} {formatRelative(at, now)}
    </span>
  );
}
