import { TokendeckError } from '../errors';

/**
 * Names a TLS failure in plain words: the host, and whether the certificate is not trusted or
 * is for another name.
 *
 * Node reports OpenSSL's verify codes (`SELF_SIGNED_CERT_IN_CHAIN`, …) and
 * `ERR_TLS_CERT_ALTNAME_INVALID`; Chromium reports `net::ERR_CERT_*`. Anything else is not a
 * TLS failure and gives undefined.
 */
export function tlsError(error: unknown, host: string): TokendeckError | undefined {
  const code = errorCode(error);
  if (!code) return undefined;
  const reason = tlsReason(code);
  if (!reason) return undefined;
  const message =
    reason === 'name'
      ? `The TLS certificate of ${host} is for another name (${code}): the address may be wrong, or something between you and ${host} is answering in its place.`
      : reason === 'certificate'
        ? `The TLS certificate of ${host} is not trusted (${code}): no certificate authority this machine trusts signed it. If your network uses a private CA, add it to Tokendeck's network settings or NODE_EXTRA_CA_CERTS.`
        : `The TLS handshake with ${host} failed (${code}).`;
  return new TokendeckError('tls_error', message, {
    cause: error,
    details: { host, reason, tlsCode: code, transient: reason === 'handshake' },
  });
}

const NAME_CODES = new Set([
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
  'ERR_CERT_COMMON_NAME_INVALID',
]);

const CERTIFICATE_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_REVOKED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_CHAIN_TOO_LONG',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'ERR_CERT_AUTHORITY_INVALID',
  'ERR_CERT_DATE_INVALID',
  'ERR_CERT_INVALID',
  'ERR_CERT_REVOKED',
  'ERR_CERT_WEAK_KEY',
  'ERR_CERT_WEAK_SIGNATURE_ALGORITHM',
  'ERR_CERT_SYMANTEC_LEGACY',
  'ERR_CERT_KNOWN_INTERCEPTION_BLOCKED',
]);

function tlsReason(code: string): 'name' | 'certificate' | 'handshake' | undefined {
  if (NAME_CODES.has(code)) return 'name';
  if (CERTIFICATE_CODES.has(code)) return 'certificate';
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code === 'EPROTO') {
    return 'handshake';
  }
  return undefined;
}

/** The first string `code` along the cause chain, or a `net::ERR_…` in a message. */
function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const message = (current as { message?: unknown }).message;
    const chromium = typeof message === 'string' ? /net::(ERR_[A-Z_]+)/.exec(message) : null;
    if (chromium) return chromium[1];
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
