import { useState } from 'react';
import type { HistoryEntry } from '../../../src-preload/contract';

function entryTitle(entry: HistoryEntry): { method: string; target: string } {
  const request = entry.request;
  if (request.kind === 'graphql') {
    const name = request.operationName || /\b(?:query|mutation)\s+(\w+)/.exec(request.query)?.[1];
    return { method: 'GQL', target: name ?? request.query.replace(/\s+/g, ' ').slice(0, 60) };
  }
  // A full URL is shown by its path; the whole URL is in the item's title.
  const path = /^https?:\/\/[^/]+(\/[^?#]*)?/i.exec(request.url);
  return { method: request.method, target: path ? (path[1] ?? '/') : request.url };
}

function when(at: number): string {
  const date = new Date(at);
  const today = new Date();
  return date.toDateString() === today.toDateString()
    ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })
    : date.toLocaleDateString();
}

/** The account's past requests (the encrypted history), newest first: click one to restore it. */
export function HistoryList({
  entries,
  error,
  onRestore,
  onClear,
}: {
  entries: HistoryEntry[];
  error: string | null;
  onRestore: (entry: HistoryEntry) => void;
  onClear: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const newestFirst = [...entries].sort((a, b) => b.at - a.at);
  return (
    <aside className="history" aria-label="History">
      <div className="history__header">
        <h2 className="history__title">History</h2>
        {entries.length && !confirming ? (
          <button type="button" className="link-button" onClick={() => setConfirming(true)}>
            Clear
          </button>
        ) : null}
      </div>
      {confirming ? (
        <div className="history__confirm" role="group" aria-label="Clear history">
          <p className="small">Clear this account&apos;s {entries.length} requests?</p>
          <div className="history__confirm-actions">
            <button
              type="button"
              className="button button--danger"
              onClick={() => {
                setConfirming(false);
                onClear();
              }}
            >
              Clear history
            </button>
            <button
              type="button"
              className="button button--secondary"
              onClick={() => setConfirming(false)}
            >
              Keep
            </button>
          </div>
        </div>
      ) : null}
      {error ? <p className="inline-error small">{error}</p> : null}
      {newestFirst.length === 0 ? (
        <p className="muted small history__empty">
          Requests you send with this account appear here.
        </p>
      ) : (
        <ol className="history__list">
          {newestFirst.map((entry) => {
            const { method, target } = entryTitle(entry);
            const tone = entry.status === null ? 'danger' : entry.status >= 400 ? 'warn' : 'ok';
            return (
              <li key={entry.id}>
                <button
                  type="button"
                  className="history__item"
                  title={entry.request.kind === 'rest' ? entry.request.url : undefined}
                  onClick={() => onRestore(entry)}
                >
                  <span className="history__line">
                    <span className="history__method mono">{method}</span>
                    <span className="history__target mono">{target}</span>
                  </span>
                  <span className="history__meta small">
                    <span className={`history__status history__status--${tone}`}>
                      {entry.status ?? entry.error?.code ?? 'failed'}
                    </span>
                    <span className="muted">{Math.round(entry.totalMs)} ms</span>
                    <span className="muted">{when(entry.at)}</span>
                  </span>
                </button>
              </li>
            );
          })}
        </ol>
      )}
    </aside>
  );
}
