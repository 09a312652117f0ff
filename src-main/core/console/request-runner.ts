import { raceAbort } from '../abort';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { TokendeckError, isTokendeckError, toErrorPayload } from '../errors';
import { tryParseJson } from '../json';
import { nullLogger, registerSecret, type Logger } from '../log';
import { parseHttpUrl } from '../providers';
import {
  maskView,
  resolveVariables,
  variablesFor,
  type Resolved,
  type Variable,
} from './environment';
import { recordHistory } from './history-entry';
import {
  createNodeTransport,
  roundMs,
  type BodyLimits,
  type Transport,
  type WireRequest,
  type WireResponse,
} from '../net';
import { refuseProofHeaders, sendWithProof } from './dpop-proof';
import {
  createFileIntrospectionCache,
  createMemoryIntrospectionCache,
  type IntrospectionCache,
  type IntrospectionResult,
} from './introspection-cache';
import { INTROSPECTION_QUERY } from './introspection-query';
import {
  CONSOLE_MIN_TTL_MS,
  type ConsoleContext,
  type ConsoleToken,
  type HistoryStore,
  type TokenSource,
} from './ports';
import {
  FIELD_VALUE,
  hasHeader,
  headerValue,
  prepareRequest,
  type PreparedRequest,
} from './prepare';
import { redirectTarget, redirectedHop, type Hop } from './redirects';
import type { HeaderList, RequestSpec, ResponseView } from './types';
import { assertVerified, verificationRequest } from './verify';

export interface RequestRunnerOptions {
  tokens: TokenSource;
  /** Looks up the account and its provider profile; throws 'not_found'. */
  context(accountId: string): Promise<ConsoleContext>;
  history?: HistoryStore;
  /** The variables of a provider's environment, for `{{name}}`; none when not given. */
  environment?(providerId: string): Promise<Variable[]>;
  logger?: Logger;
  /** 30 000 when not given. */
  defaultTimeoutMs?: number;
  /** 10 MiB when not given; reading stops at twice this. */
  displayCapBytes?: number;
  /** 5 when not given. */
  maxRedirects?: number;
  /** A folder for the per-provider introspection cache files (not secret); memory when absent. */
  cacheDir?: string;
  /** How requests go out (proxy, extra CAs); the Node transport with no settings when absent. */
  transport?: Pick<Transport, 'exchange'>;
}

const USER_AGENT = 'tokendeck-console';

interface Outcome {
  response: WireResponse;
  url: URL;
  method: string;
  redirects: string[];
  tokenSent: boolean;
}

/**
 * The request console's engine.
 *
 * `send` runs a REST or GraphQL spec as an account: it validates the spec, takes a token through
 * `getFreshToken` (with at least 10 s left), attaches it only on the provider's own origins
 * (SECURITY 11), follows redirects without carrying credentials to another origin (SECURITY 47),
 * and on a 401 renews once and retries once (SECURITY 34).
 * Every `send` is added to the account's history, failures included. Logs carry the method,
 * origin, status and timing, never a token or header.
 */
export class RequestRunner {
  private readonly options: RequestRunnerOptions;
  private readonly logger: Logger;
  private readonly limits: BodyLimits;
  private readonly maxRedirects: number;
  private readonly defaultTimeoutMs: number;
  private readonly cache: IntrospectionCache;
  private readonly transport: Pick<Transport, 'exchange'>;
  private readonly inFlight = new Map<string, AbortController>();
  private readonly introspecting = new Map<string, Promise<IntrospectionResult>>();

  constructor(options: RequestRunnerOptions) {
    this.options = options;
    this.logger = options.logger ?? nullLogger;
    const displayCapBytes = options.displayCapBytes ?? 10 * 1024 * 1024;
    this.limits = { displayCapBytes, hardCapBytes: displayCapBytes * 2 };
    this.maxRedirects = options.maxRedirects ?? 5;
    this.defaultTimeoutMs = options.defaultTimeoutMs ?? 30_000;
    this.transport = options.transport ?? createNodeTransport();
    this.cache = options.cacheDir
      ? createFileIntrospectionCache(options.cacheDir, this.logger)
      : createMemoryIntrospectionCache();
  }

  /**
   * Sends a request and returns the response, whatever its status.
   *
   * Throws `TokendeckError`: `invalid_input`, `origin_not_allowed`, `not_found`, `timeout`,
   * `cancelled`, `network_error`, `http_error` (too many redirects), or whatever `getFreshToken`
   * throws (`needs_reauth`, …). A `requestId` lets {@link cancel} stop it; it must not be in use.
   */
  send(
    spec: RequestSpec,
    options: { requestId?: string; signal?: AbortSignal } = {},
  ): Promise<ResponseView> {
    return this.execute(spec, { ...options, record: true });
  }

  /**
   * Checks the account's token with the profile's who-am-I call, renewing once on a 401, before
   * the caller hands the token out (`tokendeck token --verify`). Not added to the history.
   */
  async verify(accountId: string): Promise<void> {
    const context = await this.options.context(accountId);
    const view = await this.execute(verificationRequest(context), { record: false });
    assertVerified(view, new URL(view.url).host);
  }

  /** Stops an in-flight request, which then fails with `cancelled`. False when none has that id. */
  cancel(requestId: string): boolean {
    const controller = this.inFlight.get(requestId);
    if (!controller) return false;
    controller.abort(new TokendeckError('cancelled', 'The request was cancelled.'));
    return true;
  }

  /**
   * The GraphQL schema of an account's provider, by introspection.
   *
   * Cached per provider (in `cacheDir/introspection-<providerId>.json`, else in memory) and
   * fetched again only with `refresh`. The fetch goes through the same engine as `send` (token
   * rules, renewal, caps, timeout) but is not added to the history: it is the console's own
   * machinery, not a request the user wrote. The result's `schema` is the answer's `data`
   * (`{ __schema }`). A GraphQL `errors` answer or a non-2xx status is `http_error`; a body past
   * the display cap is `response_too_large`.
   */
  async introspect(
    accountId: string,
    options: { refresh?: boolean } = {},
  ): Promise<IntrospectionResult> {
    const { profile } = await this.options.context(accountId);
    if (!options.refresh) {
      const cached = await this.cache.get(profile.id);
      if (cached) return cached;
    }
    const running = this.introspecting.get(profile.id);
    if (running) return running;
    const fetching = this.fetchSchema(accountId, profile.id).finally(() =>
      this.introspecting.delete(profile.id),
    );
    this.introspecting.set(profile.id, fetching);
    return fetching;
  }

  private async fetchSchema(accountId: string, providerId: string): Promise<IntrospectionResult> {
    const view = await this.execute(
      {
        kind: 'graphql',
        accountId,
        query: INTROSPECTION_QUERY,
        operationName: 'IntrospectionQuery',
      },
      { record: false },
    );
    if (view.truncated) {
      throw new TokendeckError(
        'response_too_large',
        'The introspection answer is larger than the display cap.',
        { details: { size: view.size } },
      );
    }
    const answer = tryParseJson(view.body);
    const errors = (answer as { errors?: unknown } | undefined)?.errors;
    if (Array.isArray(errors) && errors.length > 0) {
      const first = errors[0] as { message?: unknown } | null;
      const message = typeof first?.message === 'string' ? first.message : 'unknown error';
      throw new TokendeckError('http_error', `Introspection failed: ${message}`, {
        details: { status: view.status },
      });
    }
    if (view.status < 200 || view.status >= 300) {
      throw new TokendeckError('http_error', `Introspection failed with HTTP ${view.status}.`, {
        details: { status: view.status },
      });
    }
    if (answer === undefined) {
      throw new TokendeckError('http_error', 'The introspection answer is not JSON.', {
        details: { status: view.status },
      });
    }
    const data = (answer as { data?: { __schema?: unknown } } | undefined)?.data;
    if (!data || typeof data !== 'object' || data.__schema === undefined) {
      throw new TokendeckError(
        'http_error',
        'The introspection answer holds no schema (is introspection turned off?).',
        {
          details: { status: view.status },
        },
      );
    }
    const result = { schema: data, fetchedAt: Date.now() };
    await this.cache.set(providerId, result);
    this.logger.info('console introspection cached', { providerId });
    return result;
  }

  private async execute(
    spec: RequestSpec,
    options: { requestId?: string; signal?: AbortSignal; record: boolean },
  ): Promise<ResponseView> {
    const requestId = options.requestId ?? randomUUID();
    if (this.inFlight.has(requestId)) {
      throw new TokendeckError('conflict', 'A request with this id is already running.', {
        details: { requestId },
      });
    }
    const controller = new AbortController();
    this.inFlight.set(requestId, controller);
    const onOuterAbort = () =>
      controller.abort(new TokendeckError('cancelled', 'The request was cancelled.'));
    if (options.signal?.aborted) onOuterAbort();
    options.signal?.addEventListener('abort', onOuterAbort, { once: true });
    const startedAt = Date.now();
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    let context: ConsoleContext | undefined;
    let resolved: Resolved | undefined;
    try {
      const timeoutMs = spec.timeoutMs ?? this.defaultTimeoutMs;
      if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
        throw new TokendeckError(
          'invalid_input',
          'The timeout must be a positive number of milliseconds.',
        );
      }
      timer = setTimeout(
        () =>
          controller.abort(
            new TokendeckError('timeout', `No complete response within ${timeoutMs} ms.`, {
              details: { timeoutMs },
            }),
          ),
        timeoutMs,
      );
      context = await raceAbort(
        this.options.context(spec.accountId),
        controller.signal,
        () => controller.signal.reason,
      );
      const { environment } = this.options;
      const variables = await variablesFor(spec, context.profile.id, environment);
      resolved = resolveVariables(spec, variables, context.profile.id);
      const sent = await this.run(resolved.spec, context, requestId, controller.signal, started);
      const view = maskView(sent, resolved.mask);
      this.logger.info('console request', {
        method: view.method,
        origin: new URL(view.url).origin,
        status: view.status,
        totalMs: view.timings.totalMs,
        redirects: view.redirects.length,
        retriedAfterRenewal: view.retriedAfterRenewal,
      });
      if (options.record) {
        await recordHistory(this.options.history, this.logger, spec, {
          id: requestId,
          at: startedAt,
          status: view.status,
          size: view.size,
          totalMs: view.timings.totalMs,
        });
      }
      return view;
    } catch (thrown) {
      const error =
        controller.signal.aborted && isTokendeckError(controller.signal.reason)
          ? controller.signal.reason
          : thrown;
      if (resolved && isTokendeckError(error)) error.message = resolved.mask(error.message);
      const payload = toErrorPayload(error);
      this.logger.warn('console request failed', {
        method: methodOf(spec),
        origin: originOf(spec, context),
        code: payload.code,
      });
      if (options.record && context) {
        const totalMs = roundMs(performance.now() - started);
        await recordHistory(this.options.history, this.logger, spec, {
          id: requestId,
          at: startedAt,
          status: null,
          size: 0,
          totalMs,
          error: { code: payload.code, message: payload.message },
        });
      }
      throw error;
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onOuterAbort);
      this.inFlight.delete(requestId);
    }
  }

  private async run(
    spec: RequestSpec,
    context: ConsoleContext,
    requestId: string,
    signal: AbortSignal,
    started: number,
  ): Promise<ResponseView> {
    const prepared = prepareRequest(spec, context.profile);
    const accountId = context.account.id;
    const first = await raceAbort(
      this.options.tokens.getFreshToken(accountId, { minTtlMs: CONSOLE_MIN_TTL_MS, signal }),
      signal,
      () => signal.reason,
    );
    registerSecret(first.accessToken);
    if (first.dpopKey) refuseProofHeaders(prepared.headers);
    const trusted = spec.locationTrusted === true;
    let outcome = await this.follow(prepared, first, signal, trusted);
    let retriedAfterRenewal = false;
    let renewalError: { code: string; message: string } | undefined;
    if (outcome.response.status === 401 && outcome.tokenSent) {
      this.logger.info('console got 401; renewing the token once', { origin: outcome.url.origin });
      let renewed: ConsoleToken | undefined;
      try {
        renewed = await raceAbort(
          this.options.tokens.getFreshToken(accountId, {
            minTtlMs: CONSOLE_MIN_TTL_MS,
            rejectToken: first.accessToken,
            signal,
          }),
          signal,
          () => signal.reason,
        );
      } catch (error) {
        if (signal.aborted) throw error;
        const payload = toErrorPayload(error);
        renewalError = { code: payload.code, message: payload.message };
        this.logger.warn('console could not renew after 401', { code: payload.code });
      }
      if (renewed) {
        registerSecret(renewed.accessToken);
        if (renewed.accessToken === first.accessToken) {
          renewalError = {
            code: 'cannot_renew',
            message: 'The server refused the token and no newer token is available.',
          };
        } else {
          outcome = await this.follow(prepared, renewed, signal, trusted);
          retriedAfterRenewal = true;
        }
      }
    }
    const { response } = outcome;
    const view: ResponseView = {
      requestId,
      url: outcome.url.href,
      method: outcome.method,
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
      contentType: headerValue(response.headers, 'content-type') ?? '',
      body: new TextDecoder('utf-8', { fatal: false }).decode(response.body),
      size: response.size,
      truncated: response.truncated,
      timings: {
        connectMs: response.connectMs,
        firstByteMs: response.firstByteMs,
        totalMs: roundMs(performance.now() - started),
      },
      retriedAfterRenewal,
      redirects: outcome.redirects,
      tokenSent: outcome.tokenSent,
    };
    if (response.connectMs === undefined) delete view.timings.connectMs;
    if (response.incomplete) view.incomplete = true;
    if (response.encodedSize !== undefined) view.encodedSize = response.encodedSize;
    if (renewalError) view.renewalError = renewalError;
    if (response.status === 429 || response.status === 503) {
      const retryAfter = headerValue(response.headers, 'retry-after');
      if (retryAfter !== undefined) view.retryAfter = retryAfter;
    }
    return view;
  }

  /**
   * Sends a prepared request with a token, following redirects.
   *
   * At most `maxRedirects` redirects are followed, else `http_error`; see {@link redirectTarget}
   * for which, and {@link redirectedHop} for what a hop to another origin keeps. A redirect that
   * is not followed is returned as it came. A DPoP-bound token goes with a fresh proof on every
   * hop that carries it (see dpop-proof.ts).
   */
  private async follow(
    prepared: PreparedRequest,
    token: ConsoleToken,
    signal: AbortSignal,
    locationTrusted: boolean,
  ): Promise<Outcome> {
    if (!FIELD_VALUE.test(token.accessToken)) {
      throw new TokendeckError(
        'invalid_input',
        'The stored token holds characters that cannot go in an HTTP header.',
      );
    }
    let hop: Hop = {
      method: prepared.method,
      url: prepared.url,
      headers: prepared.headers,
      ...(prepared.body !== undefined ? { body: prepared.body } : {}),
      tokenSent: true,
    };
    const redirects: string[] = [];
    for (let step = 0; step <= this.maxRedirects + 1; step += 1) {
      const { method, url, body, tokenSent } = hop;
      const wire: HeaderList = [...hop.headers];
      const bound = tokenSent && token.dpopKey ? token.dpopKey : undefined;
      if (tokenSent && !bound) {
        wire.push([prepared.token.headerName, `${prepared.token.prefix}${token.accessToken}`]);
      }
      if (!hasHeader(wire, 'Accept-Encoding')) wire.push(['Accept-Encoding', 'gzip, deflate, br']);
      if (!hasHeader(wire, 'User-Agent')) wire.push(['User-Agent', USER_AGENT]);
      const request: WireRequest = {
        method,
        url,
        headers: wire,
        ...(body !== undefined ? { body } : {}),
      };
      const send = (next: WireRequest) => this.transport.exchange(next, this.limits, signal);
      const response = bound
        ? await sendWithProof(
            request,
            { accessToken: token.accessToken, dpopKey: bound },
            send,
            signal,
          )
        : await send(request);
      const next = redirectTarget(response, method, url);
      if (!next) return { response, url, method, redirects, tokenSent };
      if (redirects.length >= this.maxRedirects) {
        throw new TokendeckError(
          'http_error',
          `Stopped after ${this.maxRedirects} redirects; the last one pointed to ${next.url.origin}.`,
          {
            details: { status: response.status, redirects: redirects.length },
          },
        );
      }
      redirects.push(next.url.href);
      hop = redirectedHop(hop, next, response.status, locationTrusted);
    }
    throw new TokendeckError('internal', 'The redirect loop ran past its bound.');
  }
}

function methodOf(spec: RequestSpec): string {
  return spec.kind === 'graphql' ? 'POST' : String(spec.method).toUpperCase();
}

function originOf(spec: RequestSpec, context: ConsoleContext | undefined): string | null {
  const given = spec.kind === 'graphql' ? (spec.url ?? context?.profile.use.graphqlUrl) : spec.url;
  const url = given ? parseHttpUrl(given) : undefined;
  if (url) return url.origin;
  const base = context?.profile.use.apiBase;
  return base ? (parseHttpUrl(base)?.origin ?? null) : null;
}
