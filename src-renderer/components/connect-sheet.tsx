import { useState } from 'react';
import type { GrantType } from '../../src-preload/contract';
import { plainFlowError } from '../format/flow-errors';
import { useStore, type FlowStage } from '../store';
import { DeviceCodePanel } from './device-code-panel';
import { Dialog } from './dialog';

/**
 * The connect sheet: what is happening while an account is connected, step by step, from main's
 * `flowProgress` events, with the sign-in link (Copy link, Cancel) while the browser is open,
 * and a failure in plain words with what to do next. API-key providers get a paste field; the
 * device grant shows its code large, with Copy code and a countdown.
 */

const STEPS: Record<GrantType, Array<{ stage: FlowStage; label: string }>> = {
  authorization_code: [
    { stage: 'discovering', label: 'Finding the provider' },
    { stage: 'registering', label: 'Registering Tokendeck' },
    { stage: 'waiting-for-browser', label: 'Waiting for your browser…' },
    { stage: 'exchanging', label: 'Getting the tokens' },
    { stage: 'naming', label: 'Naming the account' },
    { stage: 'done', label: 'Connected' },
  ],
  device_code: [
    { stage: 'discovering', label: 'Finding the provider' },
    { stage: 'registering', label: 'Registering Tokendeck' },
    { stage: 'waiting-for-user', label: 'Waiting for the code to be entered…' },
    { stage: 'exchanging', label: 'Getting the tokens' },
    { stage: 'naming', label: 'Naming the account' },
    { stage: 'done', label: 'Connected' },
  ],
  client_credentials: [
    { stage: 'discovering', label: 'Finding the provider' },
    { stage: 'exchanging', label: 'Getting a token with the client credentials' },
    { stage: 'naming', label: 'Naming the account' },
    { stage: 'done', label: 'Connected' },
  ],
  api_key: [
    { stage: 'naming', label: 'Checking the key and naming the account' },
    { stage: 'done', label: 'Connected' },
  ],
};

export function ConnectSheet() {
  const connect = useStore((state) => state.connect);
  const provider = useStore((state) =>
    state.providers.find((item) => item.id === state.connect?.providerId),
  );
  const account = useStore((state) =>
    state.connect?.accountId ? state.accountsById[state.connect.accountId] : undefined,
  );
  const namingProblem = useStore((state) =>
    state.connect?.connectedAccountId
      ? state.accountsById[state.connect.connectedAccountId]?.namingProblem
      : undefined,
  );
  const close = useStore((state) => state.closeConnect);
  const start = useStore((state) => state.startConnect);
  const cancel = useStore((state) => state.cancelConnect);
  const copyLink = useStore((state) => state.copyFlowLink);
  const [apiKey, setApiKey] = useState('');
  if (!connect) return null;

  const name = provider?.name ?? connect.providerId;
  const grant: GrantType = provider?.grant ?? 'authorization_code';
  const steps = STEPS[grant].filter(
    (step) => step.stage !== 'registering' || connect.seen.includes('registering'),
  );
  const running = !['ready', 'done', 'failed'].includes(connect.stage);
  const title = account ? `Reconnect ${account.label}` : `Connect ${name}`;
  const failure = connect.error ? plainFlowError(connect.error.code, connect.error.message) : null;
  const reached = (stage: FlowStage) => connect.seen.includes(stage);
  const failedAt =
    connect.stage === 'failed'
      ? connect.seen.filter((stage) => stage !== 'failed').at(-1)
      : undefined;

  return (
    <Dialog title={title} onClose={close} className="connect-sheet">
      {connect.stage === 'ready' ? (
        <form
          className="form"
          aria-label={title}
          onSubmit={(event) => {
            event.preventDefault();
            void start(grant === 'api_key' ? apiKey.trim() : undefined);
            setApiKey('');
          }}
        >
          {grant === 'api_key' ? (
            <div className="field">
              <label className="field__label" htmlFor="connect-api-key">
                API key
              </label>
              <input
                id="connect-api-key"
                className="input mono"
                type="password"
                autoComplete="off"
                spellCheck={false}
                value={apiKey}
                onChange={(event) => setApiKey(event.target.value)}
                data-autofocus
              />
              <p className="field__hint">
                Paste the key from {name}. It is encrypted in your vault and never shown here again.
              </p>
            </div>
          ) : (
            <p className="sheet__lead">
              {grant === 'authorization_code'
                ? `Tokendeck opens ${name} in your browser. Sign in there and approve access; this window follows along.`
                : grant === 'device_code'
                  ? `Tokendeck asks ${name} for a code and shows a code to enter on its page, in your browser or on any other device.`
                  : `Tokendeck asks ${name} for a token with the stored client credentials.`}
              {account
                ? ` Sign in as the same user, and ${account.label} gets the new tokens; a sign-in as anyone else is refused, and the account keeps its tokens.`
                : ''}
            </p>
          )}
          <div className="sheet__actions">
            <button type="button" className="button button--secondary" onClick={close}>
              Cancel
            </button>
            <button
              type="submit"
              className="button button--primary"
              disabled={grant === 'api_key' && apiKey.trim() === ''}
              data-autofocus={grant !== 'api_key' ? true : undefined}
            >
              {grant === 'authorization_code'
                ? 'Open browser and sign in'
                : grant === 'device_code'
                  ? 'Show the code'
                  : 'Connect'}
            </button>
          </div>
        </form>
      ) : (
        <>
          <ol className="steps" aria-label="Progress">
            {steps.map((step) => {
              const state =
                failedAt === step.stage
                  ? 'failed'
                  : connect.stage === step.stage && running
                    ? 'active'
                    : reached(step.stage) || connect.stage === 'done'
                      ? 'done'
                      : 'todo';
              return (
                <li
                  key={step.stage}
                  className={`step step--${state}`}
                  aria-current={state === 'active' ? 'step' : undefined}
                >
                  <span className="step__mark" aria-hidden="true" />
                  <span>{step.label}</span>
                </li>
              );
            })}
          </ol>
          <div aria-live="polite" className="sheet__live">
            {connect.stage === 'waiting-for-browser' ? (
              <div className="callout">
                <p>
                  Finish signing in to {name} in your browser. If no browser opened, copy the link
                  into one.
                </p>
                {connect.authorizationUrl ? (
                  <input
                    className="input mono small"
                    readOnly
                    value={connect.authorizationUrl}
                    aria-label="Sign-in link"
                    onFocus={(event) => event.target.select()}
                  />
                ) : null}
              </div>
            ) : null}
            {connect.stage === 'waiting-for-user' && connect.device ? (
              <DeviceCodePanel device={connect.device} name={name} />
            ) : null}
            {connect.stage === 'done' ? (
              <p className="callout callout--ok" role="status">
                {account ? `${account.label} is connected again.` : `Connected to ${name}.`}
              </p>
            ) : null}
            {connect.stage === 'done' && namingProblem ? (
              <p className="callout callout--warn">
                {namingProblem} The tokens are stored; Tokendeck names the account the next time its
                token is used.
              </p>
            ) : null}
          </div>
          {failure ? (
            <div className="callout callout--danger" role="alert">
              <p className="callout__title">{failure.title}</p>
              <p>{failure.detail}</p>
              <p>{failure.next}</p>
            </div>
          ) : null}
          <div className="sheet__actions">
            {connect.stage === 'waiting-for-browser' ? (
              <button
                type="button"
                className="button button--secondary"
                onClick={() => void copyLink()}
              >
                Copy link
              </button>
            ) : null}
            {connect.stage === 'waiting-for-user' && connect.device ? (
              <button
                type="button"
                className="button button--secondary"
                onClick={() => void copyLink()}
              >
                Copy code
              </button>
            ) : null}
            {running ? (
              <button
                type="button"
                className="button button--secondary"
                onClick={() => void cancel()}
              >
                Cancel sign-in
              </button>
            ) : null}
            {connect.stage === 'failed' ? (
              <button
                type="button"
                className="button button--primary"
                onClick={() =>
                  useStore.getState().openConnect(connect.providerId, connect.accountId)
                }
              >
                Try again
              </button>
            ) : null}
            {connect.stage === 'done' || connect.stage === 'failed' ? (
              <button
                type="button"
                className={`button ${connect.stage === 'done' ? 'button--primary' : 'button--secondary'}`}
                onClick={close}
                autoFocus={connect.stage === 'done'}
              >
                {connect.stage === 'done' ? 'Done' : 'Close'}
              </button>
            ) : null}
          </div>
        </>
      )}
    </Dialog>
  );
}
