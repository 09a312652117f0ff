/**
 * The network: the transport port every request goes through, the Node transport (proxies,
 * extra certificate authorities, CONNECT tunnels), the data folder's network settings, and TLS
 * failures named in plain words.
 */
export type { BodyLimits, HeaderPairs, Transport, WireRequest, WireResponse } from './transport';
export { createNodeTransport } from './node-transport';
export {
  chromiumProxy,
  createChromiumTransport,
  trustedByExtraCa,
  type ChromiumNet,
  type ChromiumProxy,
} from './chromium-transport';
export { roundMs } from './node-exchange';
export {
  DEFAULT_NETWORK_SETTINGS,
  networkSettingsSchema,
  parseProxyUrl,
  type NetworkDescription,
  type NetworkSettings,
  type NetworkSettingsInput,
} from './network-schema';
export {
  NETWORK_RECORD,
  pemCertificates,
  readNetworkSettings,
  validateNetworkSettings,
  writeNetworkSettings,
} from './network-settings';
export {
  parseBypass,
  proxyFor,
  proxyPlan,
  showProxy,
  type Env,
  type ProxyPlan,
} from './proxy-rules';
export { tlsError } from './tls-errors';
