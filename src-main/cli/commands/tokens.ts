import { DPOP_NOTE, dpopRefusal, isDpopBound, type FreshToken } from '../../core';
import { seconds, single } from '../args';
import { isoTime, aboutAccount, type Command } from './context';

/**
 * `token`: a fresh access token on stdout, renewed when less than `--min-ttl` is left. With
 * `--verify`, the provider's who-am-I call accepts it first (renewing once on a 401), for tokens
 * that carry no expiry. A DPoP-bound token is printed with a note on stderr, and `--json` says it
 * is bound.
 */
export const token: Command = async (args, values, ctx) => {
  const reference = single(args, '<account>');
  const minTtlMs = seconds(values['min-ttl'], '--min-ttl') ?? 60_000;
  const service = await ctx.open();
  const account = await service.findAccount(reference);
  const fresh = await aboutAccount(account, () =>
    values.verify
      ? service.getVerifiedToken(account.id, { minTtlMs })
      : service.getFreshToken(account.id, { minTtlMs }),
  );
  const format = ctx.json ? 'json' : 'value';
  assertPrintable(fresh, format, account.id);
  const bound = isDpopBound(fresh);
  ctx.print(`${fresh.accessToken}\n`, {
    id: account.id,
    accessToken: fresh.accessToken,
    tokenType: fresh.tokenType,
    expiresAt: isoTime(fresh.expiresAt),
    ...(bound ? { dpopBound: true } : {}),
  });
  if (bound && !ctx.json) ctx.io.stderr.write(`note: ${DPOP_NOTE}\n`);
  return 0;
};

/**
 * Refuses a ready-to-use form of a DPoP-bound token (RFC 9449): as a header, or as a credential
 * another program sends as it is, it would be refused. The value itself and JSON are allowed.
 */
export function assertPrintable(
  fresh: Pick<FreshToken, 'tokenType' | 'dpopKey'>,
  format: string,
  accountId: string,
): void {
  if (!isDpopBound(fresh)) return;
  if (format === 'header') throw dpopRefusal('a ready header', accountId);
  if (format === 'exec-credential') throw dpopRefusal('a credential for kubectl', accountId);
}
