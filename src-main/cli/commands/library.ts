import { exactly, usageError } from '../args';
import { promptHidden, readStdin } from '../node-ports';
import { table } from '../output';
import { isoTime, type Command } from './context';

/** `env list|set|unset` and `saved list|delete`: a provider's environment and saved requests. */

export const envList: Command = async (args, _values, ctx) => {
  const [providerId] = exactly(args, ['<provider>'], 'env list') as [string];
  const variables = await (await ctx.open()).listEnvVariables({ providerId });
  ctx.print(
    variables.length
      ? table(
          ['NAME', 'VALUE'],
          variables.map((v) => [v.name, v.secret ? '(secret)' : (v.value ?? '')]),
        )
      : `No variables yet. Set one: tokendeck env set ${providerId} NAME VALUE\n`,
    variables.map((v) => ({ ...v, updatedAt: isoTime(v.updatedAt) })),
  );
  return 0;
};

export const envSet: Command = async (args, values, ctx) => {
  if (args.length !== 2 && args.length !== 3) {
    throw usageError('Expected <provider> <NAME> [VALUE]. See: tokendeck help env set');
  }
  if (values.secret && values.plain) throw usageError('Give --secret or --plain, not both.');
  const [providerId, name, given] = args as [string, string, string | undefined];
  const value = given ?? (await readValue(ctx.io, name, Boolean(values.secret)));
  const secret = values.secret ? true : values.plain ? false : undefined;
  const service = await ctx.open();
  const set = await service.setEnvVariable({
    providerId,
    name,
    value,
    ...(secret !== undefined ? { secret } : {}),
  });
  ctx.print(`Set ${set.name}${set.secret ? ' (secret)' : ''} for ${providerId}.\n`, {
    ...set,
    updatedAt: isoTime(set.updatedAt),
  });
  return 0;
};

export const envUnset: Command = async (args, _values, ctx) => {
  const [providerId, name] = exactly(args, ['<provider>', '<NAME>'], 'env unset') as [
    string,
    string,
  ];
  await (await ctx.open()).unsetEnvVariable({ providerId, name });
  ctx.print(`Removed ${name} from ${providerId}.\n`, { providerId, name, removed: true });
  return 0;
};

export const savedList: Command = async (args, _values, ctx) => {
  const [providerId] = exactly(args, ['<provider>'], 'saved list') as [string];
  const items = await (await ctx.open()).listSavedRequests({ providerId });
  ctx.print(
    items.length
      ? table(
          ['NAME', 'KIND', 'REQUEST'],
          items.map(({ name, request }) => [
            name,
            request.kind,
            request.kind === 'rest' ? `${request.method} ${request.url}` : (request.url ?? ''),
          ]),
        )
      : `No saved requests yet. Save one: tokendeck request <account> GET /path --save NAME\n`,
    items.map((item) => ({
      ...item,
      createdAt: isoTime(item.createdAt),
      updatedAt: isoTime(item.updatedAt),
    })),
  );
  return 0;
};

export const savedDelete: Command = async (args, _values, ctx) => {
  const [providerId, name] = exactly(args, ['<provider>', '<NAME>'], 'saved delete') as [
    string,
    string,
  ];
  await (await ctx.open()).deleteSavedRequest({ providerId, name });
  ctx.print(`Deleted the saved request "${name}" of ${providerId}.\n`, {
    providerId,
    name,
    deleted: true,
  });
  return 0;
};

/** A value not given on the line: hidden at a terminal for a secret, else all of stdin. */
async function readValue(io: Parameters<typeof readStdin>[0], name: string, secret: boolean) {
  if (secret && io.stdin.isTTY) return promptHidden(io, `Value of ${name}: `);
  return readStdin(io);
}
