import { TokendeckError } from '../../core';
import { single } from '../args';
import { readStdin } from '../node-ports';
import { table } from '../output';
import { buildProfile } from '../profile-flags';
import type { Command } from './context';

/** `presets`, `providers`, `provider add` and `provider remove`. */

export const presets: Command = async (_args, _values, ctx) => {
  const service = await ctx.open();
  const list = await service.listPresets();
  ctx.print(
    table(
      ['ID', 'GRANT', 'NAME'],
      list.map((p) => [p.id, p.grant, p.name]),
    ),
    list,
  );
  return 0;
};

export const providers: Command = async (_args, _values, ctx) => {
  const service = await ctx.open();
  const list = await service.listProviders();
  ctx.print(
    list.length
      ? table(
          ['ID', 'GRANT', 'NAME', 'ISSUER'],
          list.map((p) => [p.id, p.grant, p.name, p.issuer ?? '']),
        )
      : 'No providers yet. Add one: tokendeck provider add <name> --preset <id>\n',
    list,
  );
  return 0;
};

export const providerAdd: Command = async (args, values, ctx) => {
  const name = single(args, '<name>');
  const profile = buildProfile(name, values);
  const clientSecret = values['client-secret-stdin'] ? await readStdin(ctx.io) : undefined;
  const service = await ctx.open();
  const existing = (await service.listProviders()).some((provider) => provider.id === name);
  if (existing && !values.replace) {
    throw new TokendeckError(
      'conflict',
      `Provider "${name}" already exists. Use --replace to overwrite it, or pick another name.`,
    );
  }
  const saved = await service.saveProvider({
    profile,
    ...(clientSecret !== undefined ? { clientSecret } : {}),
  });
  ctx.print(`Added provider ${saved.id} (${saved.name}).\n`, saved);
  return 0;
};

export const providerRemove: Command = async (args, _values, ctx) => {
  const id = single(args, '<name>');
  const service = await ctx.open();
  await service.removeProvider({ id });
  ctx.print(`Removed provider ${id}.\n`, { id, removed: true });
  return 0;
};
