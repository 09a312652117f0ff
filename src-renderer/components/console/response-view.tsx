import { json } from '@codemirror/lang-json';
import { useMemo, useState } from 'react';
import type { ResponseView } from '../../../src-preload/contract';
import { CodeEditor } from './code-editor';
import type { SendFailure } from './console-store';

const jsonLanguage = json();

/**
 * The most of a body the editor shows. The engine keeps up to its display cap (10 MiB); an
 * editor holding that much would stall the window, so longer bodies are shown in part.
 */
export const PREVIEW_CHARS = 512 * 1024;

/** Bytes as people read them: 512 B, 1.4 KB, 12.0 MB. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function statusTone(status: number): string {
  if (status >= 500) return 'danger';
  if (status >= 400) return 'warn';
  if (status >= 300) return 'info';
  return 'ok';
}

/** Pretty JSON when the body is whole JSON; null otherwise (shown raw). */
function prettyJson(response: ResponseView): string | null {
  if (response.truncated || response.body.length > PREVIEW_CHARS) return null;
  if (!/json/i.test(response.contentType)) return null;
  try {
    return JSON.stringify(JSON.parse(response.body), null, 2);
  } catch {
    return null;
  }
}

/**
 * The answer to the last request: status, timings, size and what the engine did (renew and
 * retry, a dropped token, Retry-After), then the body or the headers.
 *
 * Every body is shown as text in a read-only editor: HTML and other markup is never rendered.
 */
export function ResponsePanel({ response }: { response: ResponseView }) {
  const [tab, setTab] = useState<'body' | 'headers'>('body');
  const pretty = useMemo(() => prettyJson(response), [response]);
  const clipped = response.body.length > PREVIEW_CHARS;
  const rawText = clipped ? response.body.slice(0, PREVIEW_CHARS) : response.body;
  const [raw, setRaw] = useState(false);
  const t = response.timings;
  return (
    <section className="response" aria-label="Response">
      <div className="response__summary">
        <span className={`status-code status-code--${statusTone(response.status)}`}>
          {response.status} {response.statusText}
        </span>
        <span className="response__fact" title="Total time">
          {Math.round(t.totalMs)} ms
          <span className="muted">
            {' '}
            ({t.connectMs !== undefined ? `connect ${Math.round(t.connectMs)} ms, ` : ''}first byte{' '}
            {Math.round(t.firstByteMs)} ms)
          </span>
        </span>
        <span className="response__fact">{formatSize(response.size)}</span>
        {response.retriedAfterRenewal ? (
          <span
            className="tag tag--ok"
            title="The server answered 401; the token was renewed and the request sent once more."
          >
            401 → renewed → retried
          </span>
        ) : null}
        {response.tokenSent === false ? (
          <span className="tag tag--warn">Token not sent on the last hop</span>
        ) : null}
      </div>
      {response.retryAfter ? (
        <p className="callout callout--warn" role="note">
          The server asks to wait before trying again: Retry-After {response.retryAfter}
          {/^\d+$/.test(response.retryAfter) ? ' seconds' : ''}.
        </p>
      ) : null}
      {response.renewalError ? (
        <p className="callout callout--warn" role="note">
          The server answered 401 and the token could not be renewed, so the request was not
          retried: {response.renewalError.message}
        </p>
      ) : null}
      {response.truncated || clipped ? (
        <p className="callout" role="note">
          Truncated: showing the first {formatSize(rawText.length)} of{' '}
          {response.incomplete ? 'at least ' : ''}
          {formatSize(response.size)}
          {response.truncated ? ` (${formatSize(response.body.length)} kept)` : ''}.
        </p>
      ) : null}
      {response.redirects.length ? (
        <p className="muted small">Redirected through {response.redirects.join(' → ')}</p>
      ) : null}
      <div className="response__tabs">
        <div className="segmented" role="group" aria-label="Response part">
          <button
            type="button"
            className="segmented__item"
            aria-pressed={tab === 'body'}
            onClick={() => setTab('body')}
          >
            Body
          </button>
          <button
            type="button"
            className="segmented__item"
            aria-pressed={tab === 'headers'}
            onClick={() => setTab('headers')}
          >
            Headers ({response.headers.length})
          </button>
        </div>
        {tab === 'body' && pretty !== null ? (
          <div className="segmented" role="group" aria-label="Body view">
            <button
              type="button"
              className="segmented__item"
              aria-pressed={!raw}
              onClick={() => setRaw(false)}
            >
              Pretty
            </button>
            <button
              type="button"
              className="segmented__item"
              aria-pressed={raw}
              onClick={() => setRaw(true)}
            >
              Raw
            </button>
          </div>
        ) : null}
        <span className="muted small mono response__type">{response.contentType}</span>
      </div>
      {tab === 'body' ? (
        <CodeEditor
          className="response__body"
          label="Response body"
          readOnly
          gutters={pretty !== null && !raw}
          value={pretty !== null && !raw ? pretty : rawText}
          language={pretty !== null && !raw ? jsonLanguage : undefined}
        />
      ) : (
        <table className="table response__headers" aria-label="Response headers">
          <tbody>
            {response.headers.map(([name, value], index) => (
              <tr key={index}>
                <th scope="row" className="mono">
                  {name}
                </th>
                <td className="mono">{value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Why the request did not get an answer, and for a foreign origin, the per-origin opt-in. */
export function FailurePanel({
  failure,
  onAllowOrigin,
}: {
  failure: SendFailure;
  onAllowOrigin: (origin: string) => void;
}) {
  if (failure.code === 'origin_not_allowed' && failure.origin) {
    const origin = failure.origin;
    return (
      <div className="callout callout--warn response__failure" role="alert">
        <p>
          <strong>{origin}</strong> is not one of this provider&apos;s addresses, so the token was
          not sent. Send this account&apos;s token to {origin}?
        </p>
        <button
          type="button"
          className="button button--secondary"
          onClick={() => onAllowOrigin(origin)}
        >
          Allow {origin} and send
        </button>
      </div>
    );
  }
  return (
    <div className="inline-error inline-error--boxed response__failure" role="alert">
      {failure.message}
    </div>
  );
}
