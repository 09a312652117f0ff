import { useState } from 'react';
import type { ApiDiscovery } from '../../../src-preload/contract';
import { errorMessage, unwrap, windowApi } from '../../api';
import { useStore } from '../../store';
import { Dialog } from '../dialog';
import { InlineError } from '../inline-error';
import { slugify } from './provider-form-model';
import '../../styles/protocol.css';

/** A provider id from the API's host: "api.acme.test" → "api.acme.test", "127.0.0.1" → "127.0.0.1". */
function idFor(url: string): string {
  if (!URL.canParse(url)) return '';
  return slugify(new URL(url).hostname.replace(/\./g, '-')) || 'api';
}

/**
 * "Add from API URL" (RFC 9728, the way MCP clients connect): main calls the API, finds its
 * protected resource metadata and authorization server, and this shows what it found before
 * anything is saved. "Review and save" opens the provider form filled in with it.
 */
export function ApiUrlDialog({ onClose }: { onClose(): void }) {
  const openProviderEditor = useStore((state) => state.openProviderEditor);
  const [url, setUrl] = useState('');
  const [id, setId] = useState('');
  const [idTouched, setIdTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [found, setFound] = useState<ApiDiscovery | null>(null);

  const lookUp = async () => {
    setBusy(true);
    setError(null);
    setFound(null);
    try {
      setFound(
        await unwrap(windowApi().discoverFromApi({ url: url.trim(), id: id || idFor(url) })),
      );
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title="Add from API URL"
      description="Tokendeck asks the API which authorization server it trusts (RFC 9728), and fills in the provider from there."
      onClose={onClose}
    >
      <form
        className="form"
        aria-label="Add from API URL"
        onSubmit={(event) => {
          event.preventDefault();
          void lookUp();
        }}
      >
        <div className="field__row">
          <div className="field">
            <label className="field__label" htmlFor="api-url">
              API URL
            </label>
            <input
              id="api-url"
              className="input mono"
              value={url}
              placeholder="https://api.example.com/"
              spellCheck={false}
              onChange={(event) => {
                setUrl(event.target.value);
                setFound(null);
                if (!idTouched) setId(idFor(event.target.value));
              }}
              data-autofocus
            />
          </div>
          <div className="field">
            <label className="field__label" htmlFor="api-id">
              Id
            </label>
            <input
              id="api-id"
              className="input mono"
              value={id}
              spellCheck={false}
              onChange={(event) => {
                setIdTouched(true);
                setId(event.target.value);
              }}
            />
          </div>
        </div>
        <InlineError message={error} />
        {found ? <Findings found={found} /> : null}
        <div className="sheet__actions">
          <button type="button" className="button button--secondary" onClick={onClose}>
            Cancel
          </button>
          {found ? (
            <button
              type="button"
              className="button button--primary"
              onClick={() => {
                onClose();
                openProviderEditor({
                  mode: 'import',
                  profile: found.profile as unknown as Record<string, unknown>,
                });
              }}
            >
              Review and save
            </button>
          ) : (
            <button
              type="submit"
              className="button button--primary"
              disabled={busy || url.trim() === ''}
            >
              {busy ? 'Looking…' : 'Look up'}
            </button>
          )}
        </div>
      </form>
    </Dialog>
  );
}

function Findings({ found }: { found: ApiDiscovery }) {
  const rows: Array<[string, string]> = [
    ['Resource', found.resource],
    ['Metadata', found.metadataUrl],
    ['Authorization server', found.authorizationServers.join(', ')],
    [
      'Client',
      found.canRegister
        ? 'Tokendeck registers itself (dynamic registration)'
        : 'No dynamic registration: enter a client id in the next step',
    ],
    [
      'DPoP',
      found.profile.dpop === 'on'
        ? 'Required: tokens are bound to a key kept in your vault'
        : found.dpopSupported
          ? 'Supported: choose it under "Sender-constrained tokens" in the next step'
          : 'Not offered',
    ],
  ];
  return (
    <div className="callout callout--ok" role="status" aria-label="What the API named">
      <p className="callout__title">Found {found.profile.name ?? found.resource}</p>
      <ul className="findings">
        {rows.map(([label, value]) => (
          <li key={label}>
            <span className="muted">{label}</span>
            <span className="mono small findings__value">{value}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
