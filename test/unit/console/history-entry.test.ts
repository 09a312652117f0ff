import { describe, expect, it } from 'vitest';
import { HISTORY_TEXT_LIMIT, toHistoryRequest } from '../../../src-main/core/console/history-entry';
import type { RequestSpec } from '../../../src-main/core/console';

describe('toHistoryRequest', () => {
  it('copies only the spec fields', () => {
    const spec = {
      kind: 'rest',
      accountId: 'a',
      method: 'GET',
      url: '/x',
      requestId: 'r1',
      extra: true,
    } as RequestSpec;
    expect(toHistoryRequest(spec)).toEqual({
      request: { kind: 'rest', accountId: 'a', method: 'GET', url: '/x' },
      truncated: false,
    });
  });

  it('cuts long bodies, queries and variables', () => {
    const long = 'x'.repeat(HISTORY_TEXT_LIMIT + 10);
    const rest = toHistoryRequest({
      kind: 'rest',
      accountId: 'a',
      method: 'POST',
      url: '/x',
      body: { type: 'raw', text: long },
    });
    expect(rest.truncated).toBe(true);
    expect(rest.request.kind === 'rest' && rest.request.body?.text.length).toBe(HISTORY_TEXT_LIMIT);
    const graphql = toHistoryRequest({
      kind: 'graphql',
      accountId: 'a',
      query: '{a}',
      variables: { big: long },
    });
    expect(graphql).toEqual({
      request: { kind: 'graphql', accountId: 'a', query: '{a}' },
      truncated: true,
    });
  });
});
