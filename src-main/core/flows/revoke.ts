import * as oauth from 'oauth4webapi';
import { TokendeckError } from '../errors';
import { nullLogger, registerSecret } from '../log';
import {
  createExchange,
  firstLine,
  oauthErrorFields,
  parseJsonObject,
  transportError,
} from '../providers';
import type { FlowOptions } from './options';
import { clientAuthFor, type ResolvedProvider } from './resolve';

/**
 * Revokes a token at the provider (RFC 7009 §2.1), with its type hint.
 *
 * Returns false, without a request, when the provider has no revocation endpoint or the
 * account is an API key. A refusal is `revocation_failed` with the status; transport failures
 * keep their own codes.
 */
export async function revokeToken(
  resolved: ResolvedProvider,
  token: string,
  hint: 'access_token' | 'refresh_token',
  options: FlowOptions = {},
): Promise<boolean> {
  const { profile, as, client } = resolved;
  if (!as.revocation_endpoint || profile.grant === 'api_key') return false;
  const logger = options.logger ?? nullLogger;
  registerSecret(token);
  const clientAuth = clientAuthFor(resolved);
  const exchange = createExchange(as.revocation_endpoint, 'revocation endpoint', options);
  try {
    const response = await oauth.revocationRequest(as, client, clientAuth, token, {
      ...exchange.options,
      additionalParameters: { token_type_hint: hint },
    });
    await oauth.processRevocationResponse(response);
  } catch (error) {
    const transport = transportError(error, exchange);
    if (transport) throw transport;
    const last = exchange.last;
    const { error: oauthError } = oauthErrorFields(last ? parseJsonObject(last.text) : undefined);
    const said = last
      ? `HTTP ${last.status}: ${oauthError ?? (firstLine(last.text) || 'empty body')}`
      : 'no response';
    throw new TokendeckError(
      'revocation_failed',
      `${exchange.url.host} refused to revoke the ${hint.replace('_', ' ')} (${said}).`,
      {
        cause: error,
        details: { status: last?.status ?? null, hint },
      },
    );
  }
  logger.info('token revoked', { provider: profile.id, hint });
  return true;
}
