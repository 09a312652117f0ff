import { dpopRefusal, isDpopBound } from '../dpop-bound';
import { TokendeckError } from '../errors';
import { CR_LF_NUL } from '../providers';
import { CONSOLE_MIN_TTL_MS, type ConsoleContext, type TokenSource } from './ports';
import { resolveVariables, secretMarkers, variablesFor, type Variable } from './environment';
import { hasHeader, prepareRequest } from './prepare';
import type { CurlOptions, RequestSpec } from './types';

/** Account ids that may appear in `$(tokendeck token '<id>')`: no quotes, spaces or shell syntax. */
const SAFE_ACCOUNT_ID = /^[A-Za-z0-9._:@+-]{1,200}$/;
/** Header names and prefixes that can sit inside double quotes as they are. */
const SAFE_IN_DOUBLE_QUOTES = /^[A-Za-z0-9 ._+/=:-]*$/;

/**
 * "Copy as curl" for an account's request: {@link toCurl} with the account's context, its
 * provider's variables resolved, and a fresh token only when the user asked for it inline.
 *
 * A secret variable is never written into the command: it is left as `"$name"`, for the shell to
 * fill in from its environment when the command runs. A DPoP-bound account (RFC 9449) has no curl
 * form: its API wants a fresh proof from a key that stays in the vault, so the command is refused.
 */
export async function exportCurl(
  spec: RequestSpec,
  options: CurlOptions | undefined,
  sources: {
    context(accountId: string): Promise<ConsoleContext>;
    tokens: TokenSource;
    environment?(providerId: string): Promise<Variable[]>;
  },
): Promise<string> {
  const ctx = await sources.context(spec.accountId);
  if (isDpopBound(ctx.account)) throw dpopRefusal('a curl command', spec.accountId);
  const variables = await variablesFor(spec, ctx.profile.id, sources.environment);
  const markers = secretMarkers();
  const resolved = resolveVariables(spec, variables, ctx.profile.id, markers.marker).spec;
  if (!options?.inlineToken) return markers.shellVariables(toCurl(resolved, ctx));
  const fresh = await sources.tokens.getFreshToken(spec.accountId, {
    minTtlMs: CONSOLE_MIN_TTL_MS,
  });
  const command = toCurl(resolved, ctx, { inlineToken: true, token: fresh.accessToken });
  return markers.shellVariables(command);
}

/**
 * "Copy as curl": the request as a POSIX shell command.
 *
 * The command sends what {@link RequestRunner.send} sends for the same spec (same URL, method,
 * headers, body; the same origin rule for the token), minus the engine's own `Accept-Encoding`
 * and `User-Agent` and without following redirects. Every argument is single-quoted, with `'`
 * written as `'\''`. The token becomes `"Authorization: Bearer $(tokendeck token '<account>')"`
 * so it is fetched when the command runs and never lands in the clipboard or shell history.
 *
 * Warning: `inlineToken` puts the real token in the command; it then sits in the clipboard and
 * in the shell history. It needs `token`.
 */
export function toCurl(
  spec: RequestSpec,
  ctx: ConsoleContext,
  options: CurlOptions & { token?: string } = {},
): string {
  const prepared = prepareRequest(spec, ctx.profile);
  const args = ['curl', '-sS'];
  if (prepared.method === 'HEAD') args.push('--head');
  else if (prepared.method !== 'GET' || prepared.body !== undefined)
    args.push('-X', shellQuote(prepared.method));
  args.push(shellQuote(prepared.url.href));
  for (const [name, value] of prepared.headers) args.push('-H', shellQuote(`${name}: ${value}`));
  args.push('-H', tokenArgument(prepared.token, ctx.account.id, options));
  if (prepared.body !== undefined) {
    if (prepared.body.includes('\0')) {
      throw new TokendeckError(
        'invalid_input',
        'A body with a NUL byte cannot be written as a shell argument.',
      );
    }
    // curl labels --data-raw bodies as a form unless told otherwise; an empty header removes that.
    if (!hasHeader(prepared.headers, 'Content-Type')) args.push('-H', shellQuote('Content-Type:'));
    args.push('--data-raw', shellQuote(prepared.body));
  }
  return args.join(' ');
}

/** Quotes a string for a POSIX shell: all of it single-quoted, each `'` as `'\''`. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function tokenArgument(
  token: { headerName: string; prefix: string },
  accountId: string,
  options: CurlOptions & { token?: string },
): string {
  const label = `${token.headerName}: ${token.prefix}`;
  if (options.inlineToken) {
    if (!options.token)
      throw new TokendeckError('invalid_input', 'Inlining the token needs the token.');
    if (CR_LF_NUL.test(options.token))
      throw new TokendeckError('invalid_input', 'The token holds CR, LF or NUL.');
    return shellQuote(`${label}${options.token}`);
  }
  return curlTokenHeader(label, accountId);
}

/**
 * The `-H` argument that fetches the token when the command runs:
 * `"Authorization: Bearer $(tokendeck token '<account>')"`. `label` is the header name, a colon,
 * a space and the prefix with its own space.
 */
export function curlTokenHeader(label: string, accountId: string): string {
  if (!SAFE_ACCOUNT_ID.test(accountId)) {
    throw new TokendeckError(
      'invalid_input',
      'This account id cannot be written safely into a shell command.',
    );
  }
  const substitution = `$(tokendeck token '${accountId}')`;
  // A name or prefix with shell-special characters stays single-quoted; only the substitution is not.
  return SAFE_IN_DOUBLE_QUOTES.test(label)
    ? `"${label}${substitution}"`
    : `${shellQuote(label)}"${substitution}"`;
}
