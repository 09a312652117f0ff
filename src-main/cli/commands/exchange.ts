import { single, usageError } from '../args';
import { aboutAccount, type Command } from './context';

/**
 * `exchange`: trades an account's token for one meant for another audience (RFC 8693), stored as
 * a child account that renews by exchanging again. Run again with the same audience, scopes and
 * resource, it refreshes that child, which is how a child that needs the user comes back.
 */
export const exchange: Command = async (args, values, ctx) => {
  const reference = single(args, '<account>', 'exchange');
  const audience = values.audience as string | undefined;
  if (!audience) {
    throw usageError('exchange needs --audience AUD. See: tokendeck help exchange');
  }
  const scope = values.scope as string | undefined;
  const resource = values.resource as string | undefined;
  const service = await ctx.open();
  const parent = await service.findAccount(reference);
  const { accountId } = await aboutAccount(parent, () =>
    service.exchangeToken({
      accountId: parent.id,
      audience,
      ...(scope !== undefined ? { scopes: scope.split(/\s+/).filter(Boolean) } : {}),
      ...(resource !== undefined ? { resource } : {}),
    }),
  );
  const child = await service.findAccount(accountId);
  ctx.print(`Exchanged ${parent.id} for ${audience}: ${child.label} (${accountId}).\n`, {
    id: accountId,
    parent: parent.id,
    audience,
    label: child.label,
    scopes: child.scopes,
  });
  return 0;
};
