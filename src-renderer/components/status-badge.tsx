import type { TokenState } from '../../src-preload/contract';

/** The label of each token state; a Record, so a new state fails the typecheck until named. */
export const STATE_LABELS: Record<TokenState, string> = {
  fresh: 'Fresh',
  expiring: 'Expiring',
  refreshing: 'Refreshing',
  expired: 'Expired',
  'needs-reauth': 'Sign in again',
  error: 'Retrying',
  'no-expiry': 'No expiry',
};

/** A coloured pill for a token state; the colour comes from the CSS class per state. */
export function StatusBadge({ state }: { state: TokenState }) {
  return (
    <span className={`badge badge--${state}`}>
      <span className="badge__dot" aria-hidden="true" />
      {STATE_LABELS[state]}
    </span>
  );
}

/** True when only the user can get this account a token again. */
export function needsUser(state: TokenState): boolean {
  return state === 'needs-reauth' || state === 'expired';
}
