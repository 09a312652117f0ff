import { useEffect, useState } from 'react';
import type { EnvVariable, SavedRequest } from '../../../src-preload/contract';
import { ApiError, errorMessage, unwrap, windowApi } from '../../api';
import { fromSpec, type Draft } from './console-model';
import { useConsole } from './console-store';

/**
 * The provider's saved requests (a small collection in the vault): pick one to load it, or save
 * the current request by name. Beside them, the names of the provider's environment variables,
 * usable as `{{name}}`; secret values never reach the page.
 */
export function SavedRequests({
  providerId,
  onLoad,
}: {
  providerId: string;
  onLoad: (draft: Draft) => void;
}) {
  const [saved, setSaved] = useState<SavedRequest[]>([]);
  const [variables, setVariables] = useState<EnvVariable[]>([]);
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [taken, setTaken] = useState(false);

  // Bumped after a save, to read the list again.
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let live = true;
    const api = windowApi();
    Promise.all([
      unwrap(api.listSavedRequests({ providerId })),
      unwrap(api.listEnvVariables({ providerId })),
    ]).then(
      ([requests, env]) => {
        if (!live) return;
        setSaved(requests);
        setVariables(env);
      },
      (error: unknown) => {
        if (live) setMessage(errorMessage(error));
      },
    );
    return () => {
      live = false;
    };
  }, [providerId, version]);

  const save = async (overwrite: boolean) => {
    try {
      const { accountId: _account, ...request } = useConsole.getState().currentSpec();
      await unwrap(windowApi().saveRequest({ providerId, name: name.trim(), request, overwrite }));
      setNaming(false);
      setTaken(false);
      setMessage(`Saved “${name.trim()}”.`);
      setVersion((v) => v + 1);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'conflict') setTaken(true);
      else
        setMessage(
          error instanceof Error && !(error instanceof ApiError)
            ? error.message
            : errorMessage(error),
        );
    }
  };

  return (
    <div className="saved">
      <select
        className="input input--compact saved__select"
        aria-label="Saved requests"
        value=""
        onChange={(event) => {
          const found = saved.find((item) => item.name === event.target.value);
          const accountId = useConsole.getState().accountId;
          if (found && accountId) onLoad(fromSpec({ ...found.request, accountId }));
        }}
      >
        <option value="">
          {saved.length ? `Saved requests (${saved.length})` : 'No saved requests'}
        </option>
        {saved.map((item) => (
          <option key={item.name} value={item.name}>
            {item.name}
          </option>
        ))}
      </select>
      {naming ? (
        <form
          className="saved__form"
          onSubmit={(event) => {
            event.preventDefault();
            void save(false);
          }}
        >
          <input
            className="input input--compact"
            aria-label="Name of the saved request"
            value={name}
            autoFocus
            onChange={(event) => {
              setName(event.target.value);
              setTaken(false);
            }}
          />
          {taken ? (
            <button
              type="button"
              className="button button--danger button--small"
              onClick={() => void save(true)}
            >
              Replace “{name.trim()}”
            </button>
          ) : (
            <button type="submit" className="button button--small" disabled={name.trim() === ''}>
              Save
            </button>
          )}
          <button
            type="button"
            className="button button--secondary button--small"
            onClick={() => setNaming(false)}
          >
            Cancel
          </button>
        </form>
      ) : (
        <button
          type="button"
          className="button button--secondary button--small"
          onClick={() => setNaming(true)}
        >
          Save as…
        </button>
      )}
      {message ? (
        <span className="small muted" role="status">
          {message}
        </span>
      ) : null}
      {variables.length ? (
        <span
          className="small muted saved__env"
          title="Use as {{name}} in the URL, headers and body"
        >
          Environment:{' '}
          {variables.map((variable) => (
            <code key={variable.name} className="saved__var">
              {`{{${variable.name}}}`}
              {variable.secret ? ' (secret)' : ''}
            </code>
          ))}
        </span>
      ) : null}
    </div>
  );
}
