/**
 * Provider profiles and everything needed before a flow runs.
 *
 * The profile schema and its cross-field validation, the URL policy (https, or http on
 * loopback), the presets, discovery (RFC 8414, then OpenID Connect) and dynamic client
 * registration (RFC 7591), plus the guarded HTTP exchange the flows build on.
 */
export * from './profile';
export { validateProfile, profileIssues, type ProfileIssue } from './validate';
export {
  isLoopbackHost,
  assertSecureUrl,
  allowsInsecureRequest,
  hasScheme,
  parseHttpUrl,
} from './urls';
export {
  PRESETS,
  getPreset,
  profileFromPreset,
  findPlaceholders,
  presetNeeds,
  type Preset,
} from './presets';
export { rebaseProfile, baseOrigin } from './rebase';
export {
  createExchange,
  transportError,
  firstLine,
  oauthErrorFields,
  parseJsonObject,
  DEFAULT_TIMEOUT_MS,
  MAX_BODY_BYTES,
  type HttpOptions,
  type Exchange,
  type FetchLike,
  type ResponseRecord,
} from './http';
export { discover, discoverPreview } from './discovery';
export { registerClient, type RegistrationRequest, type RegisteredClient } from './registration';
export { bearerChallenge, discoverFromApi, type ApiFindings } from './protected-resource';
export { previewDiscovery, type DiscoveryPreview } from './discovery-preview';
