import type { AccountSummary } from '../../core';
import { exactly, single } from '../args';
import type { Command, CommandContext } from './context';

/** `rename`, `merge` and `default`: what the user changes about accounts. */

export const rename: Command = async (args, _values, ctx) => {
  const [reference, label] = exactly(args, ['<account>', '<label>'], 'rename');
  const service = await ctx.open();
  const account = await service.findAccount(reference!);
  const renamed = await service.renameAccount({ accountId: account.id, label: label! });
  return done(ctx, `Renamed ${renamed.id} to ${renamed.label}.\n`, renamed);
};

export const merge: Command = async (args, _values, ctx) => {
  const [keepReference, otherReference] = exactly(args, ['<keep>', '<other>'], 'merge');
  const service = await ctx.open();
  const keep = await service.findAccount(keepReference!);
  const other = await service.findAccount(otherReference!);
  const merged = await service.mergeAccounts({ keepId: keep.id, otherId: other.id });
  return done(ctx, `Merged ${other.id} into ${merged.id} (${merged.label}).\n`, merged);
};

export const makeDefault: Command = async (args, _values, ctx) => {
  const reference = single(args, '<account>', 'default');
  const service = await ctx.open();
  const account = await service.findAccount(reference);
  const summary = await service.setDefaultAccount({ accountId: account.id });
  return done(
    ctx,
    `${summary.id} (${summary.label}) is now the default account of ${summary.providerId}.\n`,
    summary,
  );
};

function done(ctx: CommandContext, human: string, summary: AccountSummary): number {
  ctx.print(human, {
    id: summary.id,
    provider: summary.providerId,
    label: summary.label,
    isDefault: summary.isDefault,
  });
  return 0;
}
