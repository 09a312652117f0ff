import { describe, expect, it } from 'vitest';
import {
  DraftError,
  emptyDraft,
  fromSpec,
  resolvedUrl,
  toSpec,
  type Draft,
} from '../../../../src-renderer/components/console/console-model';
import { parseCurl, shellWords } from '../../../../src-renderer/components/console/parse-curl';
import { styleNonce } from '../../../../src-renderer/components/console/csp-nonce';

const rest = (patch: Partial<Draft['rest']>): Draft => {
  const draft = emptyDraft();
  draft.rest = { ...draft.rest, ...patch };
  return draft;
};

describe('console draft to spec and back', () => {
  it('sends only ticked, named rows, and a JSON body as written', () => {
    const draft = rest({
      method: 'POST',
      url: ' /items ',
      query: [
        { name: 'a', value: '1', enabled: true },
        { name: 'b', value: '2', enabled: false },
        { name: ' ', value: 'x', enabled: true },
      ],
      headers: [{ name: 'X-Trace', value: 'abc', enabled: true }],
      bodyType: 'json',
      body: '{"n": 1}',
    });
    const spec = toSpec(draft, 'acct');
    expect(spec).toEqual({
      kind: 'rest',
      accountId: 'acct',
      method: 'POST',
      url: '/items',
      query: [['a', '1']],
      headers: [['X-Trace', 'abc']],
      body: { type: 'json', text: '{"n": 1}' },
    });
    expect(fromSpec(spec).rest.query).toEqual([{ name: 'a', value: '1', enabled: true }]);
  });

  it('encodes form fields and restores them as rows', () => {
    const draft = rest({
      method: 'POST',
      url: '/form',
      bodyType: 'form',
      form: [{ name: 'q', value: 'a b&c', enabled: true }],
    });
    const spec = toSpec(draft, 'acct');
    expect(spec.kind === 'rest' && spec.body).toEqual({ type: 'form', text: 'q=a+b%26c' });
    expect(fromSpec(spec).rest.form).toEqual([{ name: 'q', value: 'a b&c', enabled: true }]);
  });

  it('refuses what cannot be sent, naming the field', () => {
    expect(() => toSpec(rest({ url: '' }), 'acct')).toThrow(DraftError);
    expect(() => toSpec(rest({ url: '/x', bodyType: 'json', body: '{' }), 'acct')).toThrow(
      /JSON body/,
    );
    const graphql = emptyDraft();
    graphql.mode = 'graphql';
    expect(() => toSpec(graphql, 'acct')).toThrow(/query/);
    graphql.graphql.query = '{ me }';
    graphql.graphql.variables = '[1]';
    expect(() => toSpec(graphql, 'acct')).toThrow(/JSON object/);
    graphql.graphql.variables = '{"id": 1}';
    expect(toSpec(graphql, 'acct')).toEqual({
      kind: 'graphql',
      accountId: 'acct',
      query: '{ me }',
      variables: { id: 1 },
    });
  });

  it('shows a path resolved under the API base as the engine does', () => {
    expect(resolvedUrl('/me', 'https://api.example/v1/')).toBe('https://api.example/v1/me');
    expect(resolvedUrl('me', 'https://api.example/v1')).toBe('https://api.example/v1/me');
    expect(
      resolvedUrl('https://other.example/x', 'https://api.example', [
        { name: 'q', value: '1', enabled: true },
      ]),
    ).toBe('https://other.example/x?q=1');
    expect(resolvedUrl('/me', undefined)).toBeNull();
  });
});

describe('pasting a curl command', () => {
  it('splits like a POSIX shell', () => {
    expect(shellWords(`curl 'a b' "c \\"d\\"" e\\ f \\\n -g`)).toEqual([
      'curl',
      'a b',
      'c "d"',
      'e f',
      '-g',
    ]);
  });

  it('fills method, URL, query, headers and a JSON body, leaving out the token', () => {
    const parsed = parseCurl(
      `curl -X PATCH "https://api.example/v1/items?x=1&y=2" -H 'Authorization: Bearer secret' ` +
        `-H 'Content-Type: application/json' -H 'X-A: b' --data-raw '{"a":1}' --compressed`,
    );
    expect(parsed?.draft).toEqual({
      method: 'PATCH',
      url: 'https://api.example/v1/items',
      query: [
        { name: 'x', value: '1', enabled: true },
        { name: 'y', value: '2', enabled: true },
      ],
      headers: [{ name: 'X-A', value: 'b', enabled: true }],
      bodyType: 'json',
      body: '{"a":1}',
      form: [],
    });
    expect(parsed?.droppedHeaders).toEqual(['Authorization']);
    expect(JSON.stringify(parsed)).not.toContain('secret');
  });

  it('reads -d as a form POST, the provider token header, -G and --location-trusted', () => {
    const form = parseCurl(`curl https://x.example/f -d a=1 -d b=2 -H 'X-Api-Key: k'`, 'X-Api-Key');
    expect(form?.draft.method).toBe('POST');
    expect(form?.draft.bodyType).toBe('form');
    expect(form?.draft.form.map((row) => row.name)).toEqual(['a', 'b']);
    expect(form?.droppedHeaders).toEqual(['X-Api-Key']);
    const get = parseCurl(`curl -G https://x.example/s -d q=z --location-trusted`);
    expect(get?.draft.method).toBe('GET');
    expect(get?.draft.query).toEqual([{ name: 'q', value: 'z', enabled: true }]);
    expect(get?.locationTrusted).toBe(true);
  });

  it('answers null for text that is not a whole curl command', () => {
    expect(parseCurl('https://api.example/me')).toBeNull();
    expect(parseCurl(`curl 'unclosed`)).toBeNull();
    expect(parseCurl('curl -s')).toBeNull();
  });
});

describe('the page style nonce', () => {
  const page = (policy: string) =>
    ({
      querySelector: () => ({ getAttribute: () => policy }),
    }) as unknown as Document;

  it('is read from style-src only', () => {
    expect(styleNonce(page("default-src 'none'; style-src 'self' 'nonce-abc+/9=='"))).toBe(
      'abc+/9==',
    );
    expect(styleNonce(page("script-src 'nonce-abc'; style-src 'self'"))).toBeUndefined();
  });
});
