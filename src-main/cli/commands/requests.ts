import type { RequestSpec, ResponseView, TokenCalls } from '../../core';
import { clean } from '../output';
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
