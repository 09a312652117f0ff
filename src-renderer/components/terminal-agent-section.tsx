import { useEffect, useState } from 'react';
import type { AgentSettings } from '../../src-preload/contract';
import { errorMessage, unwrap, windowApi } from '../api';

/**
 * Settings › Terminal access: the agent that lets `tokendeck token` in this user's terminals use
 * the unlocked app, with no passphrase. Off until turned on; while on, the app can ask before a
 * new terminal gets tokens.
 */
export function TerminalAgentSection() {
  const [settings, setSettings] = useState<AgentSettings | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    try {
      const api = windowApi();
      unwrap(api.getAgentSettings()).then(setSettings, (e: unknown) => setError(errorMessage(e)));
      return api.on('agentSettingsChanged', setSettings);
    } catch {
      // No app bridge (a page rendered outside the app): the section stays empty.
      return undefined;
    }
  }, []);

  const change = async (next: AgentSettings) => {
    setError(null);
    try {
      setSettings(await unwrap(windowApi().setAgentSettings(next)));
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <section className="panel" aria-labelledby="agent-title">
      <div className="panel__header">
        <h2 id="agent-title" className="panel__title">
          Terminal access
        </h2>
        {settings?.enabled ? (
          <span className="tag tag--ok">On</span>
        ) : (
          <span className="tag">Off</span>
        )}
      </div>
      <p className="panel__text">
        While Tokendeck runs, <code className="command">tokendeck token</code> and{' '}
        <code className="command">tokendeck request</code> in your terminals can use this unlocked
        app, with no passphrase. Any program you run can then ask for tokens, as with ssh-agent.
      </p>
      {settings ? (
        <>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={settings.enabled}
              onChange={(event) => void change({ ...settings, enabled: event.target.checked })}
            />{' '}
            Serve tokens to terminals
          </label>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={settings.askOnNewTerminal}
              disabled={!settings.enabled}
              onChange={(event) =>
                void change({ ...settings, askOnNewTerminal: event.target.checked })
              }
            />{' '}
            Ask when a new terminal connects
          </label>
        </>
      ) : null}
      {error ? (
        <p className="panel__text" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
