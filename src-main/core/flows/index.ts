/**
 * The flow engine: one implementation of each grant, with provider quirks at one seam.
 *
 * Authorization code (+PKCE, loopback redirect), client credentials, API keys, renewal,
 * revocation and naming the account. Every protocol step is oauth4webapi's.
 */
export { resolveProvider, type ResolvedProvider } from './resolve';
export {
  ProviderResolver,
  type ProviderRecords,
  type ProviderResolverOptions,
} from './provider-resolver';
export type { FlowOptions, FlowResult } from './options';
export { authorizationCodeFlow } from './authorization-code';
export { clientCredentialsFlow } from './client-credentials';
export { apiKeyTokens } from './api-key';
export { renewTokens } from './renew';
export { revokeToken } from './revoke';
export { identifyAccount, idTokenProof, tokenProof, type AccountIdentity } from './identify';
export { normalizeTokens, parseRetryAfter } from './token-response';
export { quirkFetch, tokenTypeOptions } from './quirks';
