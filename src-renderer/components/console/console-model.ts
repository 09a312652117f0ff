import type { RequestSpec } from '../../../src-preload/contract';

type HeaderList = Array<[name: string, value: string]>;

/**
 * The request console's draft: what the editor shows, as plain data, and its translation to and
 * from the engine's request spec. No token ever enters it: the engine adds the account's token.
 */

export interface Row {
  name: string;
  value: string;
  /** Unticked rows stay in the table but are not sent. */
  enabled: boolean;
}

export type BodyType = 'none' | 'json' | 'form' | 'raw';

export interface RestDraft {
  method: string;
  /** A full URL, or a path under the provider's API base. */
  url: string;
  query: Row[];
  headers: Row[];
  bodyType: BodyType;
  /** The JSON or raw text. */
  body: string;
  /** The form fields, sent URL-encoded. */
  form: Row[];
}

export interface GraphqlDraft {
  query: string;
  /** JSON text; empty means none. */
  variables: string;
  operationName: string;
  /** Empty means the provider's GraphQL URL. */
  url: string;
  headers: Row[];
}

export type ConsoleMode = 'rest' | 'graphql';

export interface Draft {
  mode: ConsoleMode;
  rest: RestDraft;
  graphql: GraphqlDraft;
  allowForeignOrigin: boolean;
  locationTrusted: boolean;
}

export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

export function emptyDraft(): Draft {
  return {
    mode: 'rest',
    rest: { method: 'GET', url: '', query: [], headers: [], bodyType: 'none', body: '', form: [] },
    graphql: { query: '', variables: '', operationName: '', url: '', headers: [] },
    allowForeignOrigin: false,
    locationTrusted: false,
  };
}

/** Thrown for a draft that cannot be sent; the message names the field. */
export class DraftError extends Error {}

function pairs(rows: Row[]): HeaderList {
  return rows
    .filter((row) => row.enabled && row.name.trim() !== '')
    .map((row): [string, string] => [row.name.trim(), row.value]);
}

function rows(list: HeaderList | undefined): Row[] {
  return (list ?? []).map(([name, value]) => ({ name, value, enabled: true }));
}

/** The spec the engine sends for this draft, for `accountId`. Throws {@link DraftError}. */
export function toSpec(draft: Draft, accountId: string): RequestSpec {
  const optIns = {
    ...(draft.allowForeignOrigin ? { allowForeignOrigin: true } : {}),
    ...(draft.locationTrusted ? { locationTrusted: true } : {}),
  };
  if (draft.mode === 'graphql') {
    const g = draft.graphql;
    if (g.query.trim() === '') throw new DraftError('Write a query first.');
    let variables: Record<string, unknown> | undefined;
    if (g.variables.trim() !== '') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(g.variables);
      } catch {
        throw new DraftError('The variables are not valid JSON.');
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new DraftError('The variables must be a JSON object, like {"id": 1}.');
      }
      variables = parsed as Record<string, unknown>;
    }
    const headers = pairs(g.headers);
    return {
      kind: 'graphql',
      accountId,
      query: g.query,
      ...(variables ? { variables } : {}),
      ...(g.operationName.trim() ? { operationName: g.operationName.trim() } : {}),
      ...(g.url.trim() ? { url: g.url.trim() } : {}),
      ...(headers.length ? { headers } : {}),
      ...optIns,
    };
  }
  const r = draft.rest;
  if (r.url.trim() === '') throw new DraftError('Enter a URL or a path such as /me.');
  const query = pairs(r.query);
  const headers = pairs(r.headers);
  let body: { type: 'json' | 'form' | 'raw'; text: string } | undefined;
  if (r.bodyType === 'json' && r.body.trim() !== '') {
    try {
      JSON.parse(r.body);
    } catch {
      throw new DraftError('The JSON body does not parse.');
    }
    body = { type: 'json', text: r.body };
  } else if (r.bodyType === 'raw' && r.body !== '') {
    body = { type: 'raw', text: r.body };
  } else if (r.bodyType === 'form') {
    const fields = pairs(r.form);
    if (fields.length) body = { type: 'form', text: new URLSearchParams(fields).toString() };
  }
  return {
    kind: 'rest',
    accountId,
    method: r.method,
    url: r.url.trim(),
    ...(query.length ? { query } : {}),
    ...(headers.length ? { headers } : {}),
    ...(body ? { body } : {}),
    ...optIns,
  };
}

/** The draft a history entry (or a saved request) restores; what the spec lacks stays empty. */
export function fromSpec(spec: RequestSpec): Draft {
  const draft = emptyDraft();
  draft.allowForeignOrigin = spec.allowForeignOrigin === true;
  draft.locationTrusted = spec.locationTrusted === true;
  if (spec.kind === 'graphql') {
    draft.mode = 'graphql';
    draft.graphql = {
      query: spec.query,
      variables: spec.variables === undefined ? '' : JSON.stringify(spec.variables, null, 2),
      operationName: spec.operationName ?? '',
      url: spec.url ?? '',
      headers: rows(spec.headers),
    };
    return draft;
  }
  const body = spec.body;
  draft.rest = {
    method: spec.method,
    url: spec.url,
    query: rows(spec.query),
    headers: rows(spec.headers),
    bodyType: body ? body.type : 'none',
    body: body && body.type !== 'form' ? body.text : '',
    form: body?.type === 'form' ? rows([...new URLSearchParams(body.text)]) : [],
  };
  return draft;
}

/**
 * Where a REST URL goes, as the engine resolves it: a full URL as is, a path appended to the API
 * base's own path. Null when it cannot be told (no base for a path, or not a URL).
 */
export function resolvedUrl(
  url: string,
  apiBase: string | undefined,
  query: Row[] = [],
): string | null {
  const text = url.trim();
  if (text === '') return null;
  let resolved: URL;
  try {
    if (/^[a-z][a-z0-9+.-]*:/i.test(text)) resolved = new URL(text);
    else if (apiBase) {
      resolved = new URL(apiBase.replace(/\/+$/, '') + (text.startsWith('/') ? text : `/${text}`));
    } else return null;
  } catch {
    return null;
  }
  for (const [name, value] of pairs(query)) resolved.searchParams.append(name, value);
  return resolved.toString();
}

/** The origin of a URL, or null. */
export function originOf(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}
