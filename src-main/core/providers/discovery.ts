import * as oauth from 'oauth4webapi';
import { TokendeckError } from '../errors';
import { nullLogger } from '../log';
import { previewDiscovery, type DiscoveryPreview } from './discovery-preview';
import {
  createExchange,
  firstLine,
  parseJsonObject,
  transportError,
  type Exchange,
  type HttpOptions,
} from './http';
import { assertSecureUrl } from './urls';

/** Metadata fields that hold URLs Tokendeck may call; each must be https or loopback http. */
const ENDPOINT_FIELDS = [
  'authorization_endpoint',
  'token_endpoint',
  'registration_endpoint',
  'userinfo_endpoint',
  'revocation_endpoint',
  'introspection_endpoint',
  'jwks_uri',
  'pushed_authorization_request_endpoint',
  'device_authorization_endpoint',
  'end_session_endpoint',
] as const;

type Algorithm = 'oauth2' | 'oidc';

/**
 * Discovers an authorization server's metadata from its issuer identifier.
 *
 * Tries RFC 8414 §3 (`/.well-known/oauth-authorization-server`, inserted before the issuer's
 * path), then OpenID Connect Discovery 1.0 §4 (`/.well-known/openid-configuration`). The document
 * must name exactly the configured issuer (RFC 8414 §3.3; `issuer_mismatch`), and every endpoint
 * in it must be https or loopback http (`insecure_endpoint`). Anything else unusable is
 * `discovery_failed` with the status and the first line of the body.
 */
export async function discover(
  issuer: string,
  options: HttpOptions = {},
): Promise<oauth.AuthorizationServer> {
  const logger = options.logger ?? nullLogger;
  const issuerUrl = assertSecureUrl(issuer, 'issuer');
  const failures: string[] = [];
  for (const algorithm of ['oauth2', 'oidc'] as const) {
    const attempt = await tryDiscovery(issuerUrl, algorithm, options);
    if (attempt.ok) {
      checkEndpoints(attempt.metadata);
      logger.info('discovery succeeded', { issuer: issuerUrl.href, algorithm });
      return attempt.metadata;
    }
    logger.debug('discovery attempt failed', {
      issuer: issuerUrl.href,
      algorithm,
      reason: attempt.reason,
    });
    failures.push(attempt.reason);
  }
  throw new TokendeckError(
    'discovery_failed',
    `No usable metadata for ${issuerUrl.href}: ${failures.join('; ')}.`,
    {
      details: { issuer: issuerUrl.href },
    },
  );
}

/** Runs {@link discover} for the provider form, and says what the server supports. */
export async function discoverPreview(
  issuer: string,
  options: HttpOptions = {},
): Promise<DiscoveryPreview> {
  return previewDiscovery(await discover(issuer, options));
}

type Attempt = { ok: true; metadata: oauth.AuthorizationServer } | { ok: false; reason: string };

async function tryDiscovery(
  issuer: URL,
  algorithm: Algorithm,
  options: HttpOptions,
): Promise<Attempt> {
  const exchange = createExchange(issuer, 'issuer', options);
  const label = algorithm === 'oauth2' ? 'RFC 8414 metadata' : 'OpenID configuration';
  try {
    const response = await oauth.discoveryRequest(issuer, { ...exchange.options, algorithm });
    const metadata = await oauth.processDiscoveryResponse(issuer, response);
    return { ok: true, metadata };
  } catch (error) {
    const transport = transportError(error, exchange);
    if (transport) throw transport;
    if (
      error instanceof oauth.OperationProcessingError &&
      error.code === oauth.JSON_ATTRIBUTE_COMPARISON
    ) {
      const found = (exchange.last && parseIssuer(exchange.last.text)) ?? 'another issuer';
      throw new TokendeckError(
        'issuer_mismatch',
        `The ${label} of ${issuer.href} names ${found} as its issuer; it must be exactly ${issuer.href}.`,
        { cause: error, details: { expected: issuer.href, found } },
      );
    }
    return { ok: false, reason: `${label}: ${describe(exchange)}` };
  }
}

function describe(exchange: Exchange): string {
  const last = exchange.last;
  if (!last) return 'no response';
  if (last.status !== 200) return `HTTP ${last.status}`;
  const line = firstLine(last.text);
  return `HTTP 200 but not a JSON metadata document (${line || 'empty body'})`;
}

function parseIssuer(text: string): string | undefined {
  const value = parseJsonObject(text)?.issuer;
  return typeof value === 'string' ? value.slice(0, 200) : undefined;
}

function checkEndpoints(metadata: oauth.AuthorizationServer): void {
  for (const field of ENDPOINT_FIELDS) {
    const value = metadata[field];
    if (value === undefined) continue;
    if (typeof value !== 'string') {
      throw new TokendeckError('discovery_failed', `The metadata field ${field} is not a URL.`, {
        details: { field },
      });
    }
    assertSecureUrl(value, field);
  }
}
