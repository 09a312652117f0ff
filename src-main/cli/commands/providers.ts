import {
  TokendeckError,
  isTokendeckError,
  presetSummaries,
  readProviderFile,
  type ApiDiscovery,
  type ProviderSummary,
} from '../../core';
import { single, usageError } from '../args';
import { confirm, readStdin, readTextFile } from '../node-ports';
import { table } from '../output';
import { buildProfile } from '../profile-flags';
import type { Command } from './context';

/** `presets`, `providers`, `provider add`, `provider export` and `provider remove`. */

/** `presets` needs no vault: a fresh CI runner can list them. */
export const presets: Command = async (_args, _values, ctx) => {
  const list = presetSummaries();
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

/**
 * `provider add`: a preset, a profile file, an API URL (RFC 9728) or flags alone. An edit that
 * drops stored secrets (SECURITY 42) needs `--yes`, or a yes at the terminal, and says what it
 * dropped.
 */
export const providerAdd: Command = async (args, values, ctx) => {
  const name = single(args, '<name>', 'provider add');
  const file = values['from-file'] as string | undefined;
  const api = values.api as string | undefined;
  if ([file, values.preset, api].filter((source) => source !== undefined).length > 1) {
    throw usageError('Use one of --preset, --from-file or --api.');
  }
  if (values.dpop && values['dpop-if-supported']) {
    throw usageError('Use --dpop or --dpop-if-supported, not both.');
  }
  if (file === '-' && values['client-secret-stdin']) {
    throw usageError(
      '--from-file - and --client-secret-stdin both read standard input; name a file.',
    );
  }
  const fromFile = file
    ? readProviderFile(await readTextFile(ctx.io, file, '--from-file'))
    : undefined;
  const keyFile = values['client-key-file'] as string | undefined;
  const clientKey = keyFile ? await readTextFile(ctx.io, keyFile, '--client-key-file') : undefined;
  let profile = api ? undefined : buildProfile(name, values, fromFile);
  const clientSecret = values['client-secret-stdin'] ? await readStdin(ctx.io) : undefined;
  const service = await ctx.open();
  if (api) {
    const found = await service.discoverFromApi({ url: api, id: name });
    ctx.io.stderr.write(findings(found));
    profile = buildProfile(name, values, found.profile);
  }
  const save = (confirmDrops: boolean) =>
    service.saveProvider({
      profile: profile!,
      ...(clientSecret !== undefined ? { clientSecret } : {}),
      ...(clientKey !== undefined ? { clientKey } : {}),
      create: !values.replace,
      confirmDrops,
    });
  let saved: ProviderSummary;
  try {
    saved = await save(false);
  } catch (error) {
    if (!isTokendeckError(error) || error.code !== 'confirmation_required') throw error;
    if (!values.yes) {
      const answer = await confirm(ctx.io, `${error.message} Save anyway? [y/N] `);
      if (answer === null) throw error;
      if (!answer) throw new TokendeckError('cancelled', 'Nothing was saved.');
    }
    ctx.note(error.message);
    saved = await save(true);
  }
  ctx.print(`${values.replace ? 'Saved' : 'Added'} provider ${saved.id} (${saved.name}).\n`, saved);
  return 0;
};

/** What `--api` found, for the person at the terminal. */
function findings(found: ApiDiscovery): string {
  const issuer = found.profile.issuer ?? found.authorizationServers[0];
  const client = found.canRegister
    ? 'it registers clients dynamically'
    : 'it offers no dynamic registration, so pass the client id you have there: --client-id';
  return `Found ${found.resource} (metadata at ${found.metadataUrl}); its authorization server is ${issuer}, and ${client}.\n`;
}

/** `provider export`: the profile as a file, without secrets, to share through git. */
export const providerExport: Command = async (args, _values, ctx) => {
  const id = single(args, '<name>', 'provider export');
  const service = await ctx.open();
  ctx.io.stdout.write(JSON.stringify(await service.exportProvider({ id }), null, 2) + '\n');
  return 0;
};

export const providerRemove: Command = async (args, _values, ctx) => {
  const id = single(args, '<name>', 'provider remove');
  const service = await ctx.open();
  await service.removeProvider({ id });
  ctx.print(`Removed provider ${id}.\n`, { id, removed: true });
  return 0;
};
