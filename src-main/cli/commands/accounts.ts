import { TokendeckError, type AccountSummary, type DeviceCodes } from '../../core';
import { seconds, single, usageError } from '../args';
import { confirm, promptHidden, readStdin } from '../node-ports';
import { clean, relativeTime, table } from '../output';
import { isoTime, type Command } from './context';

/** `connect`, `accounts` and `remove`. */

export const connect: Command = async (args, values, ctx) => {
  const providerId = single(args, '<provider>', 'connect');
  const timeoutMs = seconds(values, 'connect', 'timeout');
  const service = await ctx.open({
    noBrowser: Boolean(values['no-browser']),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  });
  const provider = await service.getProvider({ id: providerId });
  const chosen = values.account ? await service.findAccount(values.account as string) : undefined;
  let apiKey: string | undefined;
  if (provider.grant === 'api_key') {
    apiKey = values['api-key-stdin']
      ? await readStdin(ctx.io)
      : await promptHidden(
          ctx.io,
          'API key: ',
          new TokendeckError(
            'invalid_input',
            `Provider "${providerId}" needs its API key: pass it on standard input with --api-key-stdin, or run in a terminal to be asked.`,
          ),
        );
  }
  const cancel = () => void service.cancelConnect({ providerId });
  process.once('SIGINT', cancel);
  const stopCodes = service.on('flowProgress', (progress) => {
    if (progress.providerId === providerId && progress.device) {
      ctx.io.stderr.write(deviceCodes(progress.device, ctx.json));
    }
  });
  try {
    const { accountId } = await service.connectAccount({
      providerId,
      ...(apiKey !== undefined ? { apiKey } : {}),
      ...(chosen ? { accountId: chosen.id } : {}),
    });
    const account = await service.findAccount(accountId);
    ctx.print(`Connected ${account.label} (${accountId}).\n`, {
      id: accountId,
      provider: providerId,
      label: account.label,
      subject: account.subject,
      identifiedBy: account.identifiedBy ?? null,
    });
    if (account.naming) ctx.note(account.naming.problem);
  } finally {
    stopCodes();
    process.off('SIGINT', cancel);
  }
  return 0;
};

/**
 * What a person needs to finish a device sign-in (RFC 8628 §3.3), on stderr. With `--json`, one
 * JSON line with the RFC's field names and the expiry, so a wrapper can show the code.
 */
function deviceCodes(codes: DeviceCodes, json: boolean): string {
  if (json) {
    return `${JSON.stringify({
      verification_uri: codes.verificationUri,
      user_code: codes.userCode,
      ...(codes.verificationUriComplete
        ? { verification_uri_complete: codes.verificationUriComplete }
        : {}),
      expires_at: new Date(codes.expiresAt).toISOString(),
      interval: codes.interval,
    })}\n`;
  }
  // The server's strings reach a terminal: control characters in them are dropped.
  const minutes = Math.max(1, Math.round((codes.expiresAt - Date.now()) / 60_000));
  const complete = codes.verificationUriComplete
    ? ` (or open ${clean(codes.verificationUriComplete)})`
    : '';
  return `Open ${clean(codes.verificationUri)} and enter ${clean(codes.userCode)}${complete}\nThe code expires in ${minutes} min. Waiting for the sign-in… (Ctrl-C cancels)\n`;
}

export const accounts: Command = async (_args, _values, ctx) => {
  const service = await ctx.tokens();
  const list = await service.listAccounts();
  const now = Date.now();
  ctx.print(
    list.length
      ? table(
          ['ID', 'PROVIDER', 'LABEL', 'STATUS', 'EXPIRES'],
          list.map((a) => [
            a.id,
            a.isDefault ? `${a.providerId} (default)` : a.providerId,
            a.label,
            a.status.state,
            relativeTime(a.expiresAt, now),
          ]),
        )
      : 'No accounts yet. Connect one: tokendeck connect <provider>\n',
    list.map((a) => ({
      id: a.id,
      provider: a.providerId,
      label: a.label,
      subject: a.subject,
      identifiedBy: a.identifiedBy,
      isDefault: a.isDefault,
      possibleDuplicates: a.possibleDuplicates,
      ...(a.namingProblem ? { namingProblem: a.namingProblem } : {}),
      status: a.status.state,
      reason: a.status.reason,
      expiresAt: isoTime(a.expiresAt),
      scopes: a.scopes,
    })),
  );
  if (!ctx.json) for (const line of notes(list)) ctx.note(line);
  return 0;
};

/** `remove`: asks first in a terminal; `--yes` is for scripts, which are never asked. */
export const remove: Command = async (args, values, ctx) => {
  const reference = single(args, '<account>', 'remove');
  if (!values.yes && !ctx.io.stdin.isTTY) {
    throw usageError('Removing an account needs --yes when no terminal can be asked.');
  }
  const service = await ctx.open();
  const account = await service.findAccount(reference);
  if (!values.yes && !(await confirm(ctx.io, `Remove ${account.label} (${account.id})? [y/N] `))) {
    throw new TokendeckError('cancelled', 'Nothing was removed.');
  }
  const { revoked, revocationError } = await service.removeAccount({ accountId: account.id });
  ctx.print(`Removed ${account.id}${revoked ? ' (token revoked)' : ''}.\n`, {
    id: account.id,
    revoked,
    ...(revocationError ? { revocationError } : {}),
  });
  if (revocationError) {
    ctx.note(`the revocation failed (${revocationError}); the account was removed here only`);
  }
  return 0;
};

/** What the table cannot show: accounts still unnamed, and possible duplicates to merge. */
function notes(list: AccountSummary[]): string[] {
  const lines: string[] = [];
  for (const account of list) {
    if (account.namingProblem) lines.push(`${account.id}: ${account.namingProblem}`);
    const twin = account.possibleDuplicates.find((id) => id > account.id);
    if (twin) {
      lines.push(
        `${account.id} and ${twin} are the same subject (possible duplicates): tokendeck merge ${account.id} ${twin}`,
      );
    }
  }
  return lines;
}
