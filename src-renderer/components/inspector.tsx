import { useState } from 'react';
import type { SignatureCheck, TokenInspection } from '../../src-preload/contract';
import { errorMessage, unwrap, windowApi } from '../api';
import { formatCountdown, formatDateTime, formatRelative } from '../format/time';
import { useStore } from '../store';
import { Dialog } from './dialog';
import { StatusBadge } from './status-badge';
import { useSecondTicker } from './use-ticker';
import { InlineError } from './inline-error';

/**
 * The account inspector: the account's facts, and after Reveal its token (masked until clicked)
 * with what the token says about itself. The token lives in this component's state only, and is
 * dropped when the inspector closes (the shell keys it by account, so another account starts
 * masked); main logs the reveal, never the token.
 */
export default function Inspector() {
  const accountId = useStore((state) => state.inspecting);
  const account = useStore((state) => (accountId ? state.accountsById[accountId] : undefined));
  const inspect = useStore((state) => state.inspect);
  const copyToken = useStore((state) => state.copyToken);
  const now = useSecondTicker();
  const [revealed, setRevealed] = useState<{ token: string; inspection: TokenInspection } | null>(
    null,
  );
  const [shown, setShown] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (!accountId || !account) return null;
  const close = () => inspect(null);

  const reveal = async () => {
    setBusy(true);
    setError(null);
    try {
      setRevealed(await unwrap(windowApi().revealToken({ accountId })));
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={account.label} onClose={close} wide className="inspector">
      <dl className="facts facts--grid">
        <dt>Provider</dt>
        <dd>{account.providerName}</dd>
        <dt>Subject</dt>
        <dd>
          {account.subject === null ? (
            'None proven by the provider'
          ) : (
            <>
              <span className="mono">{account.subject}</span>
              {account.identifiedBy ? (
                <span className="muted"> · identified by {account.identifiedBy}</span>
              ) : null}
            </>
          )}
          {account.isDefault ? (
            <span className="tag inspector__tag">Default for {account.providerName}</span>
          ) : null}
        </dd>
        {account.namingProblem ? (
          <>
            <dt>Name</dt>
            <dd className="warn-text">{account.namingProblem}</dd>
          </>
        ) : null}
        <dt>Status</dt>
        <dd>
          <StatusBadge state={account.status.state} /> {account.status.reason}
        </dd>
        <dt>Expires</dt>
        <dd>
          {account.expiresAt === null
            ? 'Never'
            : `${formatDateTime(account.expiresAt)} (${formatCountdown(account.expiresAt, now)})`}
        </dd>
        <dt>Last renewal</dt>
        <dd>
          {formatDateTime(account.receivedAt)} ({formatRelative(account.receivedAt, now)})
        </dd>
        <dt>Scopes</dt>
        <dd>{account.scopes.length ? account.scopes.join(' ') : '—'}</dd>
      </dl>

      <section className="panel panel--quiet" aria-label="Token">
        <div className="panel__header">
          <h3 className="panel__title">Token</h3>
          {revealed ? (
            <button type="button" className="button" onClick={() => void copyToken(accountId)}>
              Copy
            </button>
          ) : null}
        </div>
        {!revealed ? (
          <div className="reveal">
            <p className="muted">
              The token stays in Tokendeck until you reveal it. Revealing is logged (without the
              token).
            </p>
            <button
              type="button"
              className="button button--primary"
              onClick={() => void reveal()}
              disabled={busy}
              aria-busy={busy || undefined}
            >
              {busy ? 'Revealing…' : 'Reveal token'}
            </button>
          </div>
        ) : (
          <button
            type="button"
            className={`token-box mono${shown ? ' token-box--shown' : ''}`}
            onClick={() => setShown((value) => !value)}
            aria-pressed={shown}
          >
            {shown ? (
              revealed.token
            ) : (
              <>
                <span aria-hidden="true">{'•'.repeat(Math.min(48, revealed.token.length))}</span>
                <span className="token-box__hint">Click to show the token</span>
              </>
            )}
          </button>
        )}
        <InlineError message={error} />
      </section>

      {revealed ? <InspectionView inspection={revealed.inspection} now={now} /> : null}
    </Dialog>
  );
}

const TIME_CLAIMS = ['iat', 'nbf', 'exp', 'auth_time'];

function InspectionView({ inspection, now }: { inspection: TokenInspection; now: number }) {
  if (inspection.kind === 'opaque') {
    return (
      <p className="callout">
        This token is opaque: it is not a JWT, so only the provider can read what it means.
      </p>
    );
  }
  const { claims, header, signature } = inspection;
  const scopes =
    typeof claims.scope === 'string'
      ? claims.scope
      : Array.isArray(claims.scp)
        ? claims.scp.join(' ')
        : null;
  const audience = Array.isArray(claims.aud) ? claims.aud.join(', ') : claims.aud;
  return (
    <section aria-label="JWT" className="jwt">
      <SignatureLine check={signature} />
      <dl className="facts facts--grid">
        {TIME_CLAIMS.filter((claim) => typeof claims[claim] === 'number').map((claim) => {
          const at = (claims[claim] as number) * 1000;
          return [
            <dt key={`${claim}-t`}>{claim}</dt>,
            <dd key={`${claim}-d`}>
              {formatDateTime(at)} ({formatRelative(at, now)})
            </dd>,
          ];
        })}
        {audience !== undefined ? (
          <>
            <dt>aud</dt>
            <dd className="mono">{String(audience)}</dd>
          </>
        ) : null}
        {scopes ? (
          <>
            <dt>scopes</dt>
            <dd className="mono">{scopes}</dd>
          </>
        ) : null}
      </dl>
      <div className="jwt__parts">
        <div>
          <h3 className="panel__title">Header</h3>
          <pre className="code">{JSON.stringify(header, null, 2)}</pre>
        </div>
        <div>
          <h3 className="panel__title">Claims</h3>
          <pre className="code">{JSON.stringify(claims, null, 2)}</pre>
        </div>
      </div>
    </section>
  );
}

function SignatureLine({ check }: { check: SignatureCheck }) {
  switch (check.state) {
    case 'valid':
      return (
        <p className="callout callout--ok" role="status">
          Signature verified against the provider’s keys ({check.alg}
          {check.keyId ? `, key ${check.keyId}` : ''}).
        </p>
      );
    case 'invalid':
      return (
        <p className="callout callout--danger" role="status">
          Signature check failed: {check.reason}
        </p>
      );
    case 'unchecked':
      return (
        <p className="callout" role="status">
          Signature not checked: {check.reason}
        </p>
      );
    default: {
      const unknown: never = check;
      return unknown;
    }
  }
}
