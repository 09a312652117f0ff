import type { RequestSpec, ResponseView, TokenCalls, TokendeckService } from '../../core';
import type { Values } from '../args';
import { clean } from '../output';
import { graphqlSpec, restSpec, savedSpec } from '../request-flags';
import { aboutAccount, type Command, type CommandContext } from './context';

/** `request` and `graphql`: one call as the account, its response on stdout. */

export const request: Command = (args, values, ctx) =>
  send(
    ctx,
    values,
    (service, vault) =>
      vault && values.saved !== undefined
        ? savedSpec(vault, args, values)
        : restSpec(service, args, values, ctx.io),
    { include: Boolean(values.include), fail: Boolean(values.fail) },
  );

export const graphql: Command = (args, values, ctx) =>
  send(ctx, values, (service) => graphqlSpec(service, args, values, ctx.io), {
    include: false,
    fail: false,
  });

/**
 * Sends the request; with `fail`, an HTTP status of 400 or more exits 22, as curl's `-f` does.
 * With `--save`, the request is saved first, and a name already taken (without `--overwrite`)
 * stops it before anything is sent. Saved requests live in the vault, so these two open it.
 */
async function send(
  ctx: CommandContext,
  values: Values,
  build: (service: TokenCalls, vault?: TokendeckService) => Promise<RequestSpec>,
  mode: { include: boolean; fail: boolean },
): Promise<number> {
  const vault =
    values.save !== undefined || values.saved !== undefined ? await ctx.open() : undefined;
  const service: TokenCalls = vault ?? (await ctx.tokens());
  const spec = await build(service, vault);
  const account = await service.findAccount(spec.accountId);
  if (vault && values.save !== undefined) {
    const { accountId: _accountId, ...saved } = spec;
    await vault.saveRequest({
      providerId: account.providerId,
      name: values.save as string,
      request: saved,
      ...(values.overwrite ? { overwrite: true } : {}),
    });
    ctx.note(`saved as "${values.save as string}" for ${account.providerId}`);
  }
  const response = await aboutAccount(account, () =>
    service.sendRequest({ ...spec, requestId: `cli-${process.pid}` }),
  );
  writeResponse(ctx, response, mode.include);
  return mode.fail && response.status >= 400 ? 22 : 0;
}

/**
 * The response on stdout, as curl prints it: the body as it came when it goes to a pipe or a
 * file, and cleaned of control characters when it goes to a terminal (SECURITY 50).
 */
function writeResponse(ctx: CommandContext, response: ResponseView, include: boolean): void {
  if (ctx.json) {
    ctx.io.stdout.write(JSON.stringify(response, null, 2) + '\n');
  } else {
    const shown = (text: string) => (ctx.io.stdout.isTTY ? clean(text, true) : text);
    if (include) {
      const head = [`HTTP ${response.status} ${clean(response.statusText)}`.trimEnd()];
      for (const [name, value] of response.headers) head.push(`${name}: ${clean(value)}`);
      ctx.io.stdout.write(head.join('\n') + '\n\n');
    }
    ctx.io.stdout.write(shown(response.body));
    if (response.body && !response.body.endsWith('\n')) ctx.io.stdout.write('\n');
  }
  if (response.retriedAfterRenewal) {
    ctx.note('the server answered 401; the token was renewed and the request retried once');
  }
  if (response.retryAfter) ctx.note(`Retry-After: ${response.retryAfter}`);
  if (response.truncated) {
    ctx.note(`the body was truncated for display (${response.size} bytes received)`);
  }
}
