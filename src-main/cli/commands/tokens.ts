import {
  DPOP_NOTE,
  dpopRefusal,
  isDpopBound,
  type AgentToken,
  type ProviderProfile,
} from '../../core';
import { oneOf, seconds, single, usageError } from '../args';
import { aboutAccount, isoTime, type Command } from './context';

/** `token` and `renew`. */

const FORMATS = ['value', 'header', 'json', 'env', 'exec-credential'] as const;
type Format = (typeof FORMATS)[number];

/**
 * `token`: a fresh access token on stdout, renewed when less than `--min-ttl` is left, printed
 * as the value, a ready header, JSON, a shell `export`, or kubectl's ExecCredential. With
 * `--verify`, the provider's who-am-I call accepts it first (renewing once on a 401), for tokens
 * that carry no expiry. A DPoP-bound token is printed with a note on stderr, and `--json` says it
 * is bound.
 */
export const token: Command = async (args, values, ctx) => {
  const reference = single(args, '<account>', 'token');
  const minTtlMs = seconds(values, 'token', 'min-ttl') ?? 60_000;
  const format: Format =
    oneOf(values.format, FORMATS, '--format') ??
    (values.header ? 'header' : ctx.json ? 'json' : 'value');
  if (values.header && format !== 'header') throw usageError('--header is --format header.');
  const envName = (values['env-name'] as string | undefined) ?? 'TOKENDECK_TOKEN';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(envName)) {
    throw usageError('--env-name must be a shell variable name, such as API_TOKEN.');
  }
  const calls = await ctx.tokens();
  const account = await calls.findAccount(reference);
  const fresh = await aboutAccount(account, () =>
    values.verify
      ? calls.getVerifiedToken(account.id, { minTtlMs })
      : calls.getFreshToken(account.id, { minTtlMs }),
  );
  const profile = format === 'header' ? await calls.getProvider({ id: account.providerId }) : null;
  assertPrintable(fresh, format, account.id);
  const text = render(format, fresh, { id: account.id, envName, profile });
  ctx.io.stdout.write(values['no-newline'] ? text : `${text}\n`);
  if (isDpopBound(fresh) && format !== 'json') ctx.io.stderr.write(`note: ${DPOP_NOTE}\n`);
  return 0;
};

function render(
  format: Format,
  fresh: AgentToken,
  about: { id: string; envName: string; profile: ProviderProfile | null },
): string {
  switch (format) {
    case 'value':
      return fresh.accessToken;
    case 'header': {
      const name = about.profile?.use.headerName ?? 'Authorization';
      const prefix = about.profile?.use.headerPrefix ?? 'Bearer';
      return `${name}: ${prefix ? `${prefix} ` : ''}${fresh.accessToken}`;
    }
    case 'json':
      return JSON.stringify(
        {
          id: about.id,
          accessToken: fresh.accessToken,
          tokenType: fresh.tokenType,
          expiresAt: isoTime(fresh.expiresAt),
          ...(isDpopBound(fresh) ? { dpopBound: true } : {}),
        },
        null,
        2,
      );
    case 'env':
      return `export ${about.envName}=${shellQuote(fresh.accessToken)}`;
    case 'exec-credential':
      // kubectl's client.authentication.k8s.io/v1 ExecCredential.
      return JSON.stringify({
        apiVersion: 'client.authentication.k8s.io/v1',
        kind: 'ExecCredential',
        status: {
          token: fresh.accessToken,
          ...(fresh.expiresAt !== null
            ? { expirationTimestamp: new Date(fresh.expiresAt).toISOString() }
            : {}),
        },
      });
  }
}

/** Single quotes for a POSIX shell; a quote inside becomes '\''. */
function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** `renew`: renews an account now, whatever its expiry. */
export const renew: Command = async (args, _values, ctx) => {
  const reference = single(args, '<account>', 'renew');
  const calls = await ctx.tokens();
  const account = await calls.findAccount(reference);
  const summary = await aboutAccount(account, () => calls.renewAccount({ accountId: account.id }));
  ctx.print(`Renewed ${account.id} (${summary.status.state}).\n`, {
    id: account.id,
    status: summary.status.state,
    expiresAt: isoTime(summary.expiresAt),
  });
  return 0;
};

/**
 * Refuses a ready-to-use form of a DPoP-bound token (RFC 9449): as a header, or as a credential
 * another program sends as it is, it would be refused. The value itself and JSON are allowed.
 */
export function assertPrintable(
  fresh: Pick<AgentToken, 'tokenType'> & { dpopKey?: unknown },
  format: string,
  accountId: string,
): void {
  if (!isDpopBound(fresh)) return;
  if (format === 'header') throw dpopRefusal('a ready header', accountId);
  if (format === 'exec-credential') throw dpopRefusal('a credential for kubectl', accountId);
}
