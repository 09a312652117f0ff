import { SECONDS_RANGES, seconds, single } from '../args';
import { isoTime, aboutAccount, type Command } from './context';

/**
 * `token`: a fresh access token on stdout, renewed when less than `--min-ttl` is left. With
 * `--verify`, the provider's who-am-I call accepts it first (renewing once on a 401), for tokens
 * that carry no expiry.
 */
export const token: Command = async (args, values, ctx) => {
  const reference = single(args, '<account>');
  const minTtlMs =
    seconds(values['min-ttl'], '--min-ttl', SECONDS_RANGES['token --min-ttl']) ?? 60_000;
  const service = await ctx.open();
  const account = await service.findAccount(reference);
  const fresh = await aboutAccount(account, () =>
    values.verify
      ? service.getVerifiedToken(account.id, { minTtlMs })
      : service.getFreshToken(account.id, { minTtlMs }),
  );
  ctx.print(`${fresh.accessToken}\n`, {
    id: account.id,
    accessToken: fresh.accessToken,
    tokenType: fresh.tokenType,
    expiresAt: isoTime(fresh.expiresAt),
  });
  return 0;
};
