/**
 * The flow engine: one implementation of each grant, with provider quirks at one seam.
 *
 * Authorization code (+PKCE, loopback redirect, PAR), the device grant, client credentials, API
 * keys, renewal, token exchange, revocation and naming the account; client authentication with a
 * secret or a signed assertion, and DPoP-bound tokens. Every protocol step is oauth4webapi's.
 */
export { resolveProvider, type ResolvedProvider } from './resolve';
export {
  ProviderResolver,
  type ProviderRecords,
  type ProviderResolverOptions,
} from './provider-resolver';
export type { FlowOptions, FlowResult, FlowStage } from './options';
export { authorizationCodeFlow } from './authorization-code';
export { deviceCodeFlow } from './device-code';
export { clientCredentialsFlow } from './client-credentials';
export { apiKeyTokens } from './api-key';
export { renewTokens } from './renew';
export { exchangeToken, type ExchangeRequest } from './token-exchange';
export { revokeToken } from './revoke';
export { identifyAccount, idTokenProof, tokenProof, type AccountIdentity } from './identify';
export { normalizeTokens, parseRetryAfter } from './token-response';
export { quirkFetch, tokenTypeOptions } from './quirks';
export { parseClientKey, thumbprintOf, type ClientKey } from './client-key';
export { dpopHandle, newDpopKey, wantsDpop } from './dpop';
