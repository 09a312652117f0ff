import type { TokenState } from '../../src-preload/contract';

/** The label of each token state; a Record, so a new state fails the typecheck until named. */
const LABELS: Record<TokenState, string> = {
  fresh: 'Fresh',
  expiring: 'Expiring',
  refreshing: 'Refreshing',
  expired: 'Expired',
  'needs-reauth': 'Sign in again',
  error: 'Retrying',
  'no-expiry': 'No expiry',
};

/** A coloured pill for a token state; the colour comes from the CSS class per state. */
export function StatusBadge({ state, reason }: { state: TokenState; reason?: string }) {
  return (
    <span className={`badge badge--${state}`} title={reason}>
      <span className="badge__dot" aria-hidden="true" />
      {LABELS[state]}
    </span>
  );
}
