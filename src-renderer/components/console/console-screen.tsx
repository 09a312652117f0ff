import { useEffect, useMemo, useState } from 'react';
import { useStore } from '../../store';
import { errorMessage, unwrap, windowApi } from '../../api';
import { EmptyState } from '../empty-state';
import { ViewHeader } from '../page-header';
import { STATE_LABELS, StatusBadge } from '../status-badge';
import { fromSpec, type Draft } from './console-model';
import { setProviderLookup, useConsole } from './console-store';
import { GraphqlEditor } from './graphql-editor';
import { HistoryList } from './history-list';
import { FailurePanel, ResponsePanel } from './response-view';
import { RestEditor } from './rest-editor';
import { SavedRequests } from './saved-requests';
import './console.css';

/**
 * The request console: pick an account, write a REST or GraphQL request, send it with the
 * account's token (added in main), and read the answer. Loaded only when the Console opens.
 */
export default function ConsoleScreen() {
  const accountsById = useStore((state) => state.accountsById);
  const accountOrder = useStore((state) => state.accountOrder);
  const loadAccounts = useStore((state) => state.loadAccounts);
  const accountsStatus = useStore((state) => state.accountsStatus);
  const c = useConsole();
  const account = c.accountId ? accountsById[c.accountId] : undefined;
  const providerId = account?.providerId;
  const target = providerId ? c.targets[providerId] : undefined;
  const [note, setNote] = useState<string | null>(null);

  useEffect(() => {
    setProviderLookup((id) => useStore.getState().accountsById[id]?.providerId);
    if (accountsStatus === 'idle') void loadAccounts();
  }, [accountsStatus, loadAccounts]);

  // The first account is picked for the user; a removed one is let go.
  const { setAccount, loadTargets, loadSchema } = useConsole.getState();
  useEffect(() => {
    const current = useConsole.getState().accountId;
    if (current && accountsById[current]) return;
    const first = accountOrder[0] ?? null;
    if (first !== current) setAccount(first);
  }, [accountOrder, accountsById, setAccount]);

  useEffect(() => {
    if (providerId) void loadTargets(providerId);
  }, [providerId, loadTargets]);

  const mode = c.draft.mode;
  const accountId = c.accountId;
  useEffect(() => {
    if (mode === 'graphql' && accountId && providerId) void loadSchema(accountId, providerId);
  }, [mode, accountId, providerId, loadSchema]);

  useSendShortcut(c.send);

  if (accountOrder.length === 0) {
    return (
      <div className="view">
        <ViewHeader
          title="Console"
          subtitle="Try REST and GraphQL requests with your stored accounts."
        />
        <EmptyState title="No accounts yet">
          <p>Connect an account first; its token is added to every request you send here.</p>
        </EmptyState>
      </div>
    );
  }

  const setDraft = (update: (draft: Draft) => Draft) => {
    setNote(null);
    c.setDraft(update);
  };

  return (
    <div className="view view--console">
      <ViewHeader
        title="Console"
        subtitle="Try REST and GraphQL requests with your stored accounts."
      >
        <div className="console-account">
          <label className="console-account__label" htmlFor="console-account">
            Account
          </label>
          <select
            id="console-account"
            className="input console-account__select"
            value={c.accountId ?? ''}
            onChange={(event) => c.setAccount(event.target.value)}
          >
            {accountOrder.map((id) => {
              const a = accountsById[id];
              return a ? (
                <option key={id} value={id}>
                  {a.label} · {a.providerName} ({STATE_LABELS[a.status.state]})
                </option>
              ) : null;
            })}
          </select>
          {account ? <StatusBadge state={account.status.state} /> : null}
        </div>
      </ViewHeader>
      <div className="console">
        <HistoryList
          entries={c.accountId ? (c.history[c.accountId] ?? []) : []}
          error={c.historyError}
          onRestore={(entry) => {
            setNote(null);
            c.restore(fromSpec(entry.request));
          }}
          onClear={() => c.accountId && void c.clearHistory(c.accountId)}
        />
        <section className="console__main" aria-label="Request">
          <div className="console__toolbar">
            <div className="segmented" role="group" aria-label="Request kind">
              {(['rest', 'graphql'] as const).map((kind) => (
                <button
                  key={kind}
                  type="button"
                  className="segmented__item"
                  aria-pressed={mode === kind}
                  onClick={() => setDraft((d) => ({ ...d, mode: kind }))}
                >
                  {kind === 'rest' ? 'REST' : 'GraphQL'}
                </button>
              ))}
            </div>
            <span className="spacer" />
            <CurlButtons />
            {c.sending ? (
              <button
                type="button"
                className="button button--secondary"
                onClick={() => void c.cancel()}
              >
                Cancel
              </button>
            ) : null}
            <button
              type="button"
              className="button button--primary"
              disabled={c.sending !== null || !c.accountId}
              onClick={() => void c.send()}
              aria-keyshortcuts="Control+Enter Meta+Enter"
            >
              {c.sending ? 'Sending…' : 'Send'}
            </button>
          </div>
          {providerId ? (
            <SavedRequests
              key={providerId}
              providerId={providerId}
              onLoad={(draft) => {
                setNote(null);
                c.restore(draft);
              }}
            />
          ) : null}
          {mode === 'rest' ? (
            <RestEditor
              draft={c.draft.rest}
              apiBase={target?.apiBase}
              tokenHeader={target?.headerName ?? 'Authorization'}
              onChange={(rest) => setDraft((d) => ({ ...d, rest }))}
              onCurl={(parsed) => {
                c.setDraft((d) => ({
                  ...d,
                  mode: 'rest',
                  rest: parsed.draft,
                  locationTrusted: parsed.locationTrusted,
                }));
                setNote(parsed.note);
              }}
            />
          ) : (
            <GraphqlEditor
              draft={c.draft.graphql}
              graphqlUrl={target?.graphqlUrl}
              schemaState={providerId ? c.schemas[providerId] : undefined}
              onChange={(graphql) => setDraft((d) => ({ ...d, graphql }))}
              onRefreshSchema={() =>
                c.accountId && providerId && void c.loadSchema(c.accountId, providerId, true)
              }
            />
          )}
          {note ? (
            <p className="callout console__note" role="status">
              {note}
            </p>
          ) : null}
          <label className="checkbox console__option">
            <input
              type="checkbox"
              checked={c.draft.locationTrusted}
              onChange={(event) =>
                setDraft((d) => ({ ...d, locationTrusted: event.target.checked }))
              }
            />
            <span>
              Keep the token on a redirect to another origin
              <span className="muted small">
                {' '}
                — the token and credential headers go wherever the server redirects (curl&apos;s
                --location-trusted).
              </span>
            </span>
          </label>
          {c.allowedOrigins.length ? (
            <p className="muted small">
              The token may also go to: {c.allowedOrigins.join(', ')}{' '}
              <button
                type="button"
                className="link-button"
                onClick={() => useConsole.setState({ allowedOrigins: [] })}
              >
                Forget
              </button>
            </p>
          ) : null}
          {c.failure ? (
            <FailurePanel
              failure={c.failure}
              onAllowOrigin={(origin) => {
                c.allowOrigin(origin);
                void c.send();
              }}
            />
          ) : null}
          {c.sending ? (
            <p className="muted" role="status">
              Sending…
            </p>
          ) : null}
          {c.response && !c.failure ? (
            <ResponsePanel key={c.response.requestId} response={c.response} />
          ) : null}
        </section>
      </div>
    </div>
  );
}

/** Copy as curl, in the `$(tokendeck token …)` form; inlining the token needs a confirmation. */
function CurlButtons() {
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const copy = async (inlineToken: boolean) => {
    setConfirming(false);
    try {
      const spec = useConsole.getState().currentSpec();
      await unwrap(
        windowApi().exportCurl({
          spec,
          copy: true,
          ...(inlineToken ? { options: { inlineToken } } : {}),
        }),
      );
      setMessage(
        inlineToken
          ? 'Copied, with the token. The clipboard is cleared soon.'
          : 'curl command copied',
      );
    } catch (error) {
      setMessage(
        error instanceof Error && !('code' in error) ? error.message : errorMessage(error),
      );
    }
  };
  useEffect(() => {
    if (!message) return undefined;
    const timer = setTimeout(() => setMessage(null), 4000);
    return () => clearTimeout(timer);
  }, [message]);
  return (
    <div className="curl-buttons">
      {message ? (
        <span className="small muted" role="status">
          {message}
        </span>
      ) : null}
      <button type="button" className="button button--secondary" onClick={() => void copy(false)}>
        Copy as curl
      </button>
      <button
        type="button"
        className="button button--secondary"
        aria-expanded={confirming}
        onClick={() => setConfirming(!confirming)}
      >
        With token…
      </button>
      {confirming ? (
        <div className="curl-confirm" role="dialog" aria-label="Copy with the token">
          <p className="small">
            The token itself goes into the command: it then sits in your clipboard and shell
            history. This is logged, like revealing the token.
          </p>
          <div className="curl-confirm__actions">
            <button type="button" className="button button--danger" onClick={() => void copy(true)}>
              Copy with the token
            </button>
            <button
              type="button"
              className="button button--secondary"
              onClick={() => setConfirming(false)}
            >
              Cancel
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}

/** Ctrl/Cmd+Enter sends, from anywhere in the console (the editors included). */
function useSendShortcut(send: () => Promise<void>): void {
  const handler = useMemo(
    () => (event: KeyboardEvent) => {
      if ((event.metaKey || event.ctrlKey) && event.key === 'Enter') {
        event.preventDefault();
        void send();
      }
    },
    [send],
  );
  useEffect(() => {
    window.addEventListener('keydown', handler, true);
    return () => window.removeEventListener('keydown', handler, true);
  }, [handler]);
}
