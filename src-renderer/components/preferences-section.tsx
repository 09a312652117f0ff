import { useEffect, useId, useState } from 'react';
import type { Settings } from '../../src-preload/contract';
import { useStore } from '../store';
import { InlineError } from './inline-error';

/**
 * Settings → Copying and appearance: the minimum lifetime a copied token has, how long it stays
 * on the clipboard, the theme, and opening at login (main hands it to the OS). Each change is
 * saved at once.
 */
export function PreferencesSection() {
  const settings = useStore((state) => state.settings);
  const loadSettings = useStore((state) => state.loadSettings);
  const saveSettings = useStore((state) => state.saveSettings);
  const [error, setError] = useState<string | null>(null);
  /** The box follows the click at once, not only once main has saved it (a round trip later). */
  const [loginPending, setLoginPending] = useState<boolean | null>(null);
  const id = useId();

  useEffect(() => {
    void loadSettings();
  }, [loadSettings]);

  if (!settings) return null;
  const save = (patch: Partial<Settings>, settled?: () => void) =>
    void saveSettings(patch).then((result) => {
      settled?.();
      setError(result.ok ? null : result.message);
    });

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <div className="panel__header">
        <h2 id={`${id}-title`} className="panel__title">
          Copying and appearance
        </h2>
      </div>
      <div className="field__row">
        <div className="field">
          <label className="field__label" htmlFor={`${id}-ttl`}>
            Copied tokens last at least
          </label>
          <select
            id={`${id}-ttl`}
            className="input"
            value={settings.copyMinTtlSeconds}
            onChange={(event) => save({ copyMinTtlSeconds: Number(event.target.value) })}
          >
            {[60, 300, 600, 1800, 3600].map((seconds) => (
              <option key={seconds} value={seconds}>
                {seconds < 3600 ? `${seconds / 60} min` : '1 hour'}
              </option>
            ))}
          </select>
          <p className="field__hint">Copy renews first when the token has less time left.</p>
        </div>
        <div className="field">
          <label className="field__label" htmlFor={`${id}-clear`}>
            Clear the clipboard after
          </label>
          <select
            id={`${id}-clear`}
            className="input"
            value={settings.clipboardClearSeconds}
            onChange={(event) => save({ clipboardClearSeconds: Number(event.target.value) })}
          >
            {[10, 30, 45, 90, 300, 0].map((seconds) => (
              <option key={seconds} value={seconds}>
                {seconds === 0
                  ? 'Only when Tokendeck quits'
                  : seconds < 60
                    ? `${seconds} s`
                    : `${seconds / 60} min`}
              </option>
            ))}
          </select>
          <p className="field__hint">Only if it still holds the token Tokendeck put there.</p>
        </div>
      </div>
      <fieldset className="field">
        <legend className="field__label">Theme</legend>
        <div className="segmented" role="group" aria-label="Theme">
          {(['system', 'light', 'dark'] as const).map((theme) => (
            <button
              key={theme}
              type="button"
              className="segmented__item"
              aria-pressed={settings.theme === theme}
              onClick={() => save({ theme })}
            >
              {theme === 'system' ? 'System' : theme === 'light' ? 'Light' : 'Dark'}
            </button>
          ))}
        </div>
      </fieldset>
      <div className="field">
        <div className="checkbox checkbox--setting">
          <input
            id={`${id}-login`}
            type="checkbox"
            checked={loginPending ?? settings.openAtLogin}
            aria-describedby={`${id}-login-hint`}
            onChange={(event) => {
              setLoginPending(event.target.checked);
              save({ openAtLogin: event.target.checked }, () => setLoginPending(null));
            }}
          />
          <label htmlFor={`${id}-login`}>Open at login</label>
        </div>
        <p id={`${id}-login-hint`} className="field__hint">
          Tokendeck starts in the tray when you log in, so tokens renew before you need them.
        </p>
      </div>
      <InlineError message={error} />
    </section>
  );
}
