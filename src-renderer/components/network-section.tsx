import { useEffect, useId, useRef, useState } from 'react';
import type { NetworkSettings, NetworkView } from '../../src-preload/contract';
import { errorMessage, unwrap, windowApi } from '../api';
import { InlineError } from './inline-error';
import '../styles/protocol.css';

type Mode = NetworkSettings['proxy']['mode'];

const MODES: Array<[Mode, string]> = [
  ['system', 'System'],
  ['direct', 'No proxy'],
  ['manual', 'This proxy'],
];

/** A certificate file is a few KB; the vault keeps at most 256 KiB of it. */
const MAX_CA_BYTES = 256 * 1024;

/**
 * Settings → Network: the data folder's proxy and extra certificate authority, the same ones the
 * CLI's `tokendeck network` shows and sets. They win over the environment and the OS; "System"
 * leaves the choice to them.
 */
export function NetworkSection() {
  const id = useId();
  const [view, setView] = useState<NetworkView | null>(null);
  const [mode, setMode] = useState<Mode>('system');
  const [url, setUrl] = useState('');
  const [bypass, setBypass] = useState('');
  const [ca, setCa] = useState<NetworkSettings['ca']>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const file = useRef<HTMLInputElement>(null);

  const show = (next: NetworkView) => {
    setView(next);
    const { proxy } = next.settings;
    setMode(proxy.mode);
    setUrl(proxy.mode === 'manual' ? proxy.url : '');
    setBypass(proxy.mode === 'manual' ? proxy.bypass : '');
    setCa(next.settings.ca);
  };

  useEffect(() => {
    unwrap(windowApi().getNetworkSettings())
      .then(show)
      .catch((failure: unknown) => setError(errorMessage(failure)));
  }, []);

  const save = async () => {
    setSaved(false);
    const proxy = mode === 'manual' ? { mode, url: url.trim(), bypass: bypass.trim() } : { mode };
    try {
      show(await unwrap(windowApi().setNetworkSettings({ proxy, ...(ca ? { ca } : {}) })));
      setError(null);
      setSaved(true);
    } catch (failure) {
      setError(errorMessage(failure));
    }
  };

  const pickCa = async (picked: File) => {
    if (picked.size === 0 || picked.size > MAX_CA_BYTES) {
      setError(
        `${picked.name} is not a certificate file: it is ${picked.size === 0 ? 'empty' : 'larger than 256 KiB'}.`,
      );
      return;
    }
    setError(null);
    setSaved(false);
    setCa({ pem: await picked.text(), name: picked.name });
  };

  if (!view && !error) return null;
  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <div className="panel__header">
        <h2 id={`${id}-title`} className="panel__title">
          Network
        </h2>
      </div>
      <p className="panel__text">
        The proxy and extra certificate authority of this data folder, shared with{' '}
        <span className="mono">tokendeck network</span>. System uses the environment (HTTPS_PROXY,
        NO_PROXY), then the OS.
      </p>
      <form
        className="form network-form"
        aria-label="Network"
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <div className="segmented" role="group" aria-label="Proxy">
          {MODES.map(([value, label]) => (
            <button
              key={value}
              type="button"
              className="segmented__item"
              aria-pressed={mode === value}
              onClick={() => {
                setSaved(false);
                setMode(value);
              }}
            >
              {label}
            </button>
          ))}
        </div>
        {mode === 'manual' ? (
          <div className="field__row">
            <div className="field">
              <label className="field__label" htmlFor={`${id}-url`}>
                Proxy URL
              </label>
              <input
                id={`${id}-url`}
                className="input mono"
                value={url}
                placeholder="http://proxy.example.com:3128"
                spellCheck={false}
                onChange={(event) => setUrl(event.target.value)}
              />
            </div>
            <div className="field">
              <label className="field__label" htmlFor={`${id}-bypass`}>
                Bypass
              </label>
              <input
                id={`${id}-bypass`}
                className="input mono"
                value={bypass}
                placeholder="localhost, .internal.example.com"
                spellCheck={false}
                onChange={(event) => setBypass(event.target.value)}
              />
              <p className="field__hint">
                Hosts reached directly, separated by commas, as in NO_PROXY.
              </p>
            </div>
          </div>
        ) : null}
        <div className="field">
          <span className="field__label">Extra certificate authority</span>
          <div className="secret-stored">
            {ca ? (
              <>
                <span className="mono small">{ca.name}</span>
                <button
                  type="button"
                  className="button button--secondary"
                  onClick={() => {
                    setSaved(false);
                    setCa(undefined);
                  }}
                >
                  Remove
                </button>
              </>
            ) : (
              <span className="muted small">None besides the OS and built-in ones.</span>
            )}
            <button
              type="button"
              className="button button--secondary"
              onClick={() => file.current?.click()}
            >
              Choose PEM file…
            </button>
          </div>
          <input
            ref={file}
            type="file"
            accept=".pem,.crt,.cer,application/x-pem-file"
            className="visually-hidden"
            tabIndex={-1}
            aria-label="Certificate authority file"
            onChange={(event) => {
              const picked = event.target.files?.[0];
              event.target.value = '';
              if (picked) void pickCa(picked);
            }}
          />
        </div>
        <InlineError message={error} />
        {view ? (
          <dl className="facts small" aria-label="In effect">
            <dt>Proxy</dt>
            <dd className="mono">{view.effective.proxy}</dd>
            <dt>Bypass</dt>
            <dd className="mono">{view.effective.bypass}</dd>
            <dt>Extra CAs</dt>
            <dd className="mono">
              {view.effective.extraCas.length ? view.effective.extraCas.join(', ') : 'none'}
            </dd>
          </dl>
        ) : null}
        <div className="sheet__actions">
          {saved ? (
            <span className="muted small" role="status">
              Saved
            </span>
          ) : null}
          <button type="submit" className="button button--primary">
            Save network settings
          </button>
        </div>
      </form>
    </section>
  );
}
