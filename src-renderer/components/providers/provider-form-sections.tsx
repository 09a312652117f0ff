import type { DiscoveryPreview } from '../../../src-preload/contract';
import { DiscoverySummary, Field, Section } from './form-parts';
import type { ProviderFormFields } from './provider-form-model';

/**
 * The provider form's sections below "Provider": endpoints (with Discover), the client (with the
 * secret, never filled back), and how the token is used. Each takes the form's fields, its
 * setter and the inline problem of each field.
 */
export interface FormState {
  fields: ProviderFormFields;
  set<K extends keyof ProviderFormFields>(key: K, value: ProviderFormFields[K]): void;
  errorFor(key: keyof ProviderFormFields): string | undefined;
}

export type DiscoveryState =
  | { state: 'idle' }
  | { state: 'busy' }
  | { state: 'done'; preview: DiscoveryPreview }
  | { state: 'failed'; message: string };

export function EndpointsSection({
  form,
  discovery,
  onDiscover,
}: {
  form: FormState;
  discovery: DiscoveryState;
  onDiscover(): void;
}) {
  const { fields, set, errorFor } = form;
  const authCode = fields.grant === 'authorization_code';
  return (
    <Section title="Endpoints">
      <div className="segmented" role="group" aria-label="Endpoints">
        <button
          type="button"
          className="segmented__item"
          aria-pressed={fields.endpointMode === 'discover'}
          onClick={() => set('endpointMode', 'discover')}
        >
          Discover from the issuer
        </button>
        <button
          type="button"
          className="segmented__item"
          aria-pressed={fields.endpointMode === 'explicit'}
          onClick={() => set('endpointMode', 'explicit')}
        >
          Enter endpoints
        </button>
      </div>
      {fields.endpointMode === 'discover' ? (
        <>
          <div className="field__row field__row--action">
            <Field
              label="Issuer URL"
              hint="Tokendeck reads /.well-known/oauth-authorization-server, then openid-configuration."
              error={errorFor('issuer')}
            >
              {(props) => (
                <input
                  {...props}
                  className="input mono"
                  value={fields.issuer}
                  placeholder="https://login.example.com"
                  onChange={(e) => set('issuer', e.target.value)}
                />
              )}
            </Field>
            <button
              type="button"
              className="button"
              onClick={onDiscover}
              disabled={!fields.issuer.trim() || discovery.state === 'busy'}
              aria-busy={discovery.state === 'busy' || undefined}
            >
              {discovery.state === 'busy' ? 'Discovering…' : 'Discover'}
            </button>
          </div>
          {discovery.state === 'failed' ? (
            <p className="inline-error" role="alert">
              {discovery.message}
            </p>
          ) : null}
          {discovery.state === 'done' ? <DiscoverySummary preview={discovery.preview} /> : null}
        </>
      ) : (
        <>
          {authCode ? (
            <Field label="Authorization URL" error={errorFor('authorization')}>
              {(props) => (
                <input
                  {...props}
                  className="input mono"
                  value={fields.authorization}
                  onChange={(e) => set('authorization', e.target.value)}
                />
              )}
            </Field>
          ) : null}
          <Field label="Token URL" error={errorFor('token')}>
            {(props) => (
              <input
                {...props}
                className="input mono"
                value={fields.token}
                onChange={(e) => set('token', e.target.value)}
              />
            )}
          </Field>
        </>
      )}
      <details
        className="more"
        open={Boolean(fields.revocation || fields.userinfo || fields.registration) || undefined}
      >
        <summary>Optional endpoints: revocation, userinfo, registration</summary>
        <Field
          label="Revocation URL"
          hint="Removing an account revokes its tokens here (RFC 7009)."
          error={errorFor('revocation')}
        >
          {(props) => (
            <input
              {...props}
              className="input mono"
              value={fields.revocation}
              onChange={(e) => set('revocation', e.target.value)}
            />
          )}
        </Field>
        <Field label="Userinfo URL" error={errorFor('userinfo')}>
          {(props) => (
            <input
              {...props}
              className="input mono"
              value={fields.userinfo}
              onChange={(e) => set('userinfo', e.target.value)}
            />
          )}
        </Field>
        {authCode ? (
          <Field
            label="Registration URL"
            hint="For dynamic registration (RFC 7591), when discovery does not name it."
            error={errorFor('registration')}
          >
            {(props) => (
              <input
                {...props}
                className="input mono"
                value={fields.registration}
                onChange={(e) => set('registration', e.target.value)}
              />
            )}
          </Field>
        ) : null}
      </details>
    </Section>
  );
}

export interface SecretState {
  value: string;
  set(value: string): void;
  stored: boolean;
  replacing: boolean;
  replace(): void;
  needed: boolean;
  missing: boolean;
}

export function ClientSection({ form, secret }: { form: FormState; secret: SecretState }) {
  const { fields, set, errorFor } = form;
  const authCode = fields.grant === 'authorization_code';
  return (
    <Section title="Client">
      {authCode ? (
        <div className="segmented" role="group" aria-label="Client">
          <button
            type="button"
            className="segmented__item"
            aria-pressed={fields.clientRegistration === 'dynamic'}
            onClick={() => set('clientRegistration', 'dynamic')}
          >
            Register Tokendeck automatically
          </button>
          <button
            type="button"
            className="segmented__item"
            aria-pressed={fields.clientRegistration === 'static'}
            onClick={() => set('clientRegistration', 'static')}
          >
            I have a client id
          </button>
        </div>
      ) : null}
      {errorFor('clientRegistration') ? (
        <p className="field__error">{errorFor('clientRegistration')}</p>
      ) : null}
      {fields.clientRegistration === 'static' || !authCode ? (
        <div className="field__row">
          <Field label="Client id" error={errorFor('clientId')}>
            {(props) => (
              <input
                {...props}
                className="input mono"
                value={fields.clientId}
                onChange={(e) => set('clientId', e.target.value)}
              />
            )}
          </Field>
          <Field label="Client authentication" error={errorFor('clientAuth')}>
            {(props) => (
              <select
                {...props}
                className="input"
                value={fields.clientAuth}
                onChange={(e) =>
                  set('clientAuth', e.target.value as ProviderFormFields['clientAuth'])
                }
              >
                <option value="none">None (public client, PKCE)</option>
                <option value="client_secret_basic">Secret in a Basic header</option>
                <option value="client_secret_post">Secret in the form body</option>
                <option value="json">Secret in a JSON body</option>
              </select>
            )}
          </Field>
        </div>
      ) : null}
      {secret.needed ? (
        secret.stored && !secret.replacing ? (
          <div className="field">
            <span className="field__label">Client secret</span>
            <div className="secret-stored">
              <span className="tag tag--ok">Stored</span>
              <span className="muted small">Encrypted in your vault; it is never shown again.</span>
              <button type="button" className="button button--secondary" onClick={secret.replace}>
                Replace
              </button>
            </div>
          </div>
        ) : (
          <Field
            label="Client secret"
            hint={
              secret.stored
                ? 'Leave empty to keep the stored secret.'
                : 'Stored encrypted in your vault; it is never shown again.'
            }
            error={secret.missing ? 'Enter the client secret.' : undefined}
          >
            {(props) => (
              <input
                {...props}
                className="input mono"
                type="password"
                autoComplete="new-password"
                value={secret.value}
                onChange={(e) => secret.set(e.target.value)}
              />
            )}
          </Field>
        )
      ) : null}
      {authCode ? (
        <Field
          label="Scopes"
          hint="Separated by spaces, e.g. openid email offline_access"
          error={errorFor('scopes')}
        >
          {(props) => (
            <input
              {...props}
              className="input mono"
              value={fields.scopes}
              onChange={(e) => set('scopes', e.target.value)}
            />
          )}
        </Field>
      ) : (
        <Field label="Scopes" hint="Optional, separated by spaces" error={errorFor('scopes')}>
          {(props) => (
            <input
              {...props}
              className="input mono"
              value={fields.scopes}
              onChange={(e) => set('scopes', e.target.value)}
            />
          )}
        </Field>
      )}
      {authCode ? (
        <div className="field__row">
          <Field
            label="Redirect"
            hint="Loopback listens on 127.0.0.1 on a free port (RFC 8252)."
            error={errorFor('redirectUri')}
          >
            {(props) => (
              <select
                {...props}
                className="input"
                value={fields.redirectMode}
                onChange={(e) =>
                  set('redirectMode', e.target.value as ProviderFormFields['redirectMode'])
                }
              >
                <option value="loopback">Loopback, any free port</option>
                <option value="fixed">A fixed, registered redirect URI</option>
              </select>
            )}
          </Field>
          {fields.redirectMode === 'fixed' ? (
            <Field label="Redirect URI" error={errorFor('redirectUri')}>
              {(props) => (
                <input
                  {...props}
                  className="input mono"
                  placeholder="http://127.0.0.1:8765/callback"
                  value={fields.redirectUri}
                  onChange={(e) => set('redirectUri', e.target.value)}
                />
              )}
            </Field>
          ) : (
            <Field label="Callback path" error={errorFor('redirectPath')}>
              {(props) => (
                <input
                  {...props}
                  className="input mono"
                  value={fields.redirectPath}
                  onChange={(e) => set('redirectPath', e.target.value)}
                />
              )}
            </Field>
          )}
        </div>
      ) : null}
    </Section>
  );
}

export function UsageSection({ form }: { form: FormState }) {
  const { fields, set, errorFor } = form;
  const authCode = fields.grant === 'authorization_code';
  return (
    <Section title="Using the token">
      <div className="field__row">
        <Field label="API base URL" error={errorFor('apiBase')}>
          {(props) => (
            <input
              {...props}
              className="input mono"
              value={fields.apiBase}
              placeholder="https://api.example.com"
              onChange={(e) => set('apiBase', e.target.value)}
            />
          )}
        </Field>
        <Field label="GraphQL URL" error={errorFor('graphqlUrl')}>
          {(props) => (
            <input
              {...props}
              className="input mono"
              value={fields.graphqlUrl}
              onChange={(e) => set('graphqlUrl', e.target.value)}
            />
          )}
        </Field>
      </div>
      <div className="field__row">
        <Field label="Header name" error={errorFor('headerName')}>
          {(props) => (
            <input
              {...props}
              className="input mono"
              value={fields.headerName}
              onChange={(e) => set('headerName', e.target.value)}
            />
          )}
        </Field>
        <Field
          label="Header prefix"
          hint="Empty sends the bare token."
          error={errorFor('headerPrefix')}
        >
          {(props) => (
            <input
              {...props}
              className="input mono"
              value={fields.headerPrefix}
              onChange={(e) => set('headerPrefix', e.target.value)}
            />
          )}
        </Field>
      </div>
      <Field
        label="Who am I"
        hint="How a new account gets its name and identity."
        error={errorFor('whoami')}
      >
        {(props) => (
          <select
            {...props}
            className="input"
            value={fields.whoami}
            onChange={(e) => set('whoami', e.target.value as ProviderFormFields['whoami'])}
          >
            <option value="none">Nothing (the client id, or the ID token’s subject)</option>
            {authCode ? <option value="userinfo">The userinfo endpoint</option> : null}
            {authCode ? (
              <option value="id_token">The ID token (needs the openid scope)</option>
            ) : null}
            <option value="rest">A REST call</option>
            <option value="graphql">A GraphQL query</option>
          </select>
        )}
      </Field>
      {fields.whoami === 'rest' ? (
        <Field label="Who-am-I URL or path" error={errorFor('whoamiUrl')}>
          {(props) => (
            <input
              {...props}
              className="input mono"
              placeholder="/me"
              value={fields.whoamiUrl}
              onChange={(e) => set('whoamiUrl', e.target.value)}
            />
          )}
        </Field>
      ) : null}
      {fields.whoami === 'graphql' ? (
        <Field label="Who-am-I query" error={errorFor('whoamiQuery')}>
          {(props) => (
            <input
              {...props}
              className="input mono"
              placeholder="{ me { id } }"
              value={fields.whoamiQuery}
              onChange={(e) => set('whoamiQuery', e.target.value)}
            />
          )}
        </Field>
      ) : null}
      {fields.whoami === 'rest' || fields.whoami === 'graphql' ? (
        <div className="field__row">
          <Field label="Subject path" hint="e.g. data.me.id" error={errorFor('whoamiSubject')}>
            {(props) => (
              <input
                {...props}
                className="input mono"
                value={fields.whoamiSubject}
                onChange={(e) => set('whoamiSubject', e.target.value)}
              />
            )}
          </Field>
          <Field label="Label path" hint="Optional, e.g. email" error={errorFor('whoamiLabel')}>
            {(props) => (
              <input
                {...props}
                className="input mono"
                value={fields.whoamiLabel}
                onChange={(e) => set('whoamiLabel', e.target.value)}
              />
            )}
          </Field>
        </div>
      ) : null}
    </Section>
  );
}
