import type { AccountSummary, TokenState } from '../../../../src-main/core/api';

/** An account summary for the desktop shell's tests. */
export function account(
  id: string,
  state: TokenState = 'fresh',
  extra: Partial<AccountSummary> = {},
): AccountSummary {
  return {
    id,
    providerId: 'attendium',
    providerName: 'Attendium',
    label: id,
    subject: `sub-${id}`,
    identifiedBy: 'sub',
    grant: 'authorization_code',
    scopes: [],
    expiresAt: null,
    receivedAt: 0,
    status: { state, reason: `The token is ${state}.` },
    isDefault: false,
    possibleDuplicates: [],
    ...extra,
  };
}
