import type { DiscoveryPreview } from '../../../src-preload/contract';
import { InlineError } from '../inline-error';
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

/** A choice bound to one form field; `options` pairs each value with its words. */
export function SelectField<K extends keyof ProviderFormFields>({
  form,
  name,
  label,
  hint,
  options,
}: {
  form: FormState;
  name: K;
  label: string;
  hint?: string;
  options: Array<[ProviderFormFields[K], string] | false>;
}) {
  return (
    <Field label={label} hint={hint} error={form.errorFor(name)}>
      {(props) => (
        <select
          {...props}
          className="input"
          value={form.fields[name]}
          onChange={(event) => form.set(name, event.target.value as ProviderFormFields[K])}
        >
          {options.map((option) =>
            option ? (
              <option key={option[0]} value={option[0]}>
                {option[1]}
              </option>
            ) : null,
          )}
        </select>
      )}
    </Field>
  );
}

/** A text field bound to one form field, with its inline problem. */
function TextField({
  form,
  name,
  label,
  hint,
  placeholder,
}: {
  form: FormState;
  name: keyof ProviderFormFields;
  label: string;
  hint?: string;
  placeholder?: string;
}) {
  return (
    <Field label={label} hint={hint} error={form.errorFor(name)}>
      {(props) => (
        <input
          {...props}
          className="input mono"
          placeholder={placeholder}
          value={form.fields[name]}
          onChange={(event) => form.set(name, event.target.value as never)}
        />
      )}
    </Field>
  );
}

export function EndpointsSection({
  form,
  discovery,
  onDiscover,
}: {
  form: FormState;
  discovery: DiscoveryState;
  onDiscover(): void;
}) {
  const { fields, set } = form;
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
            <TextField
              form={form}
              name="issuer"
              label="Issuer URL"
              hint="Tokendeck reads /.well-known/oauth-authorization-server, then openid-configuration."
              placeholder="https://login.example.com"
            />
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
          <InlineError message={discovery.state === 'failed' ? discovery.message : null} />
          {discovery.state === 'done' ? <DiscoverySummary preview={discovery.preview} /> : null}
        </>
      ) : (
        <>
          {authCode ? (
            <TextField form={form} name="authorization" label="Authorization URL" />
          ) : null}
          <TextField form={form} name="token" label="Token URL" />
        </>
      )}
      <details
        className="more"
        open={Boolean(fields.revocation || fields.userinfo || fields.registration) || undefined}
      >
        <summary>Optional endpoints: revocation, userinfo, registration</summary>
        <TextField
          form={form}
          name="revocation"
          label="Revocation URL"
          hint="Removing an account revokes its tokens here (RFC 7009)."
        />
        <TextField form={form} name="userinfo" label="Userinfo URL" />
        {authCode ? (
          <TextField
            form={form}
            name="registration"
            label="Registration URL"
            hint="For dynamic registration (RFC 7591), when discovery does not name it."
          />
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
          <TextField form={form} name="clientId" label="Client id" />
          <SelectField
            form={form}
            name="clientAuth"
            label="Client authentication"
            options={[
              ['none', 'None (public client, PKCE)'],
              ['client_secret_basic', 'Secret in a Basic header'],
              ['client_secret_post', 'Secret in the form body'],
              ['json', 'Secret in a JSON body'],
              ['client_secret_jwt', 'A JWT signed with the secret (RFC 7523)'],
              [
                'private_key_jwt',
                'A JWT signed with a key (tokendeck provider add --client-key-file)',
              ],
            ]}
          />
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
      <TextField
        form={form}
        name="scopes"
        label="Scopes"
        hint={
          authCode
            ? 'Separated by spaces, e.g. openid email offline_access'
            : 'Optional, separated by spaces'
        }
      />
      {authCode ? (
        <div className="field__row">
          <SelectField
            form={form}
            name="redirectMode"
            label="Redirect"
            hint="Loopback listens on 127.0.0.1 on a free port (RFC 8252)."
            options={[
              ['loopback', 'Loopback, any free port'],
              ['fixed', 'A fixed, registered redirect URI'],
            ]}
          />
          {fields.redirectMode === 'fixed' ? (
            <TextField
              form={form}
              name="redirectUri"
              label="Redirect URI"
              placeholder="http://127.0.0.1:8765/callback"
            />
          ) : (
            <TextField form={form} name="redirectPath" label="Callback path" />
          )}
        </div>
      ) : null}
      <SelectField
        form={form}
        name="dpop"
        label="Sender-constrained tokens (DPoP)"
        hint="Binds tokens to a key kept in your vault (RFC 9449): a copied token is useless without a proof made with it."
        options={[
          ['off', 'Off: plain bearer tokens'],
          ['auto', 'When the server supports it'],
          ['on', 'Always'],
        ]}
      />
      <TextField
        form={form}
        name="assumeExpiresIn"
        label="Assumed token lifetime (seconds)"
        hint="Only for a server whose tokens run out without saying when (no expires_in, no JWT exp): Tokendeck renews before then."
        placeholder="e.g. 3600"
      />
    </Section>
  );
}

export function UsageSection({ form }: { form: FormState }) {
  const { fields } = form;
  const authCode = fields.grant === 'authorization_code';
  return (
    <Section title="Using the token">
      <div className="field__row">
        <TextField
          form={form}
          name="apiBase"
          label="API base URL"
          placeholder="https://api.example.com"
        />
        <TextField form={form} name="graphqlUrl" label="GraphQL URL" />
      </div>
      <div className="field__row">
        <TextField form={form} name="headerName" label="Header name" />
        <TextField
          form={form}
          name="headerPrefix"
          label="Header prefix"
          hint="Empty sends the bare token."
        />
      </div>
      <SelectField
        form={form}
        name="whoami"
        label="Who am I"
        hint="How a new account gets its name and identity."
        options={[
          ['none', 'Nothing (what the tokens prove: an ID token, the client id)'],
          authCode && ['userinfo', 'The userinfo endpoint'],
          authCode && ['id_token', 'The ID token (needs the openid scope)'],
          ['rest', 'A REST call'],
          ['graphql', 'A GraphQL query'],
        ]}
      />
      {fields.whoami === 'rest' ? (
        <TextField form={form} name="whoamiUrl" label="Who-am-I URL or path" placeholder="/me" />
      ) : null}
      {fields.whoami === 'graphql' ? (
        <TextField
          form={form}
          name="whoamiQuery"
          label="Who-am-I query"
          placeholder="{ me { id } }"
        />
      ) : null}
      {fields.whoami !== 'none' ? (
        <div className="field__row">
          {fields.whoami !== 'id_token' ? (
            <TextField
              form={form}
              name="whoamiSubject"
              label="Subject path"
              hint={
                fields.whoami === 'graphql'
                  ? 'e.g. data.me.id'
                  : 'Optional: sub, id, user_id or uid, else username, login or email.'
              }
            />
          ) : null}
          <TextField
            form={form}
            name="whoamiLabel"
            label="Label path"
            hint="Optional, e.g. email"
          />
        </div>
      ) : null}
    </Section>
  );
}
