import type { RequestSpec, ResponseView, TokenCalls } from '../../core';
import { graphqlSpec, restSpec } from '../request-flags';
import { aboutAccount, type Command, type CommandContext } from './context';

/** `request` and `graphql`: one call as the account, its response on stdout. */

export const request: Command = (args, values, ctx) =>
  send(ctx, (service) => restSpec(service, args, values, ctx.io), {
    include: Boolean(values.include),
    fail: Boolean(values.fail),
  });

export const graphql: Command = (args, values, ctx) =>
  send(ctx, (service) => graphqlSpec(service, args, values, ctx.io), {
    include: false,
    fail: false,
  });

/** Sends the request; with `fail`, an HTTP status of 400 or more exits 22, as curl's `-f` does. */
async function send(
  ctx: CommandContext,
  build: (service: TokenCalls) => Promise<RequestSpec>,
  mode: { include: boolean; fail: boolean },
): Promise<number> {
  const service = await ctx.tokens();
  const spec = await build(service);
  const account = await service.findAccount(spec.accountId);
  const response = await aboutAccount(account, () =>
    service.sendRequest({ ...spec, requestId: `cli-${process.pid}` }),
  );
  writeResponse(ctx, response, mode.include);
  return mode.fail && response.status >= 400 ? 22 : 0;
}

function writeResponse(ctx: CommandContext, response: ResponseView, include: boolean): void {
  if (ctx.json) {
    ctx.io.stdout.write(JSON.stringify(response, null, 2) + '\n');
  } else {
    if (include) {
      const head = [`HTTP ${response.status} ${response.statusText}`.trimEnd()];
      for (const [name, value] of response.headers) head.push(`${name}: ${value}`);
      ctx.io.stdout.write(head.join('\n') + '\n\n');
    }
    ctx.io.stdout.write(response.body);
    if (response.body && !response.body.endsWith('\n')) ctx.io.stdout.write('\n');
  }
  if (response.retriedAfterRenewal) {
    ctx.io.stderr.write(
      'note: the server answered 401; the token was renewed and the request retried once\n',
    );
  }
  if (response.retryAfter) ctx.io.stderr.write(`note: Retry-After: ${response.retryAfter}\n`);
  if (response.truncated) {
    ctx.io.stderr.write(
      `note: the body was truncated for display (${response.size} bytes received)\n`,
    );
  }
}
