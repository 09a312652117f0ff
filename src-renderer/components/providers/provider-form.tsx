import { useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import type { DiscoveryPreview, ProfileIssue } from '../../../src-preload/contract';
import { errorMessage, unwrap, windowApi } from '../../api';
import { useStore, type ProviderEditor } from '../../store';
import {
  EMPTY_FIELDS,
  fieldsFromProfile,
  profileFromFields,
  slugify,
  usesSecret,
  type ProviderFormFields,
} from './provider-form-model';

/**
 * The provider form: a preset's profile, a saved one, an imported file, or a blank custom one.
 *
 * Every field is checked as you type by main's `validateProvider` (debounced), so the rules live
 * in the core's one schema; each problem shows under its field. The client secret is a password
 * field that is never filled back: a stored secret shows "Stored" and can be replaced.
 */

const VALIDATE_DELAY_MS = 300;

type Issues = Record<string, string>;

/** Which form field shows an issue for a profile path. */
const FIELD_FOR_PATH: Array<[RegExp, keyof ProviderFormFields]> = [
  [/^id$/, 'id'],
  [/^name$/, 'name'],
  [/^grant$/, 'grant'],
  [/^issuer$/, 'issuer'],
  [/^endpoints\.authorization/, 'authorization'],
  [/^endpoints\.token/, 'token'],
  [/^endpoints\.registration/, 'registration'],
  [/^endpoints\.userinfo/, 'userinfo'],
  [/^endpoints\.revocation/, 'revocation'],
  [/^client\.registration/, 'clientRegistration'],
  [/^client\.clientId/, 'clientId'],
  [/^client\.auth/, 'clientAuth'],
  [/^scopes/, 'scopes'],
  [/^redirect\.uri/, 'redirectUri'],
  [/^redirect\.path/, 'redirectPath'],
  [/^use\.apiBase/, 'apiBase'],
  [/^use\.graphqlUrl/, 'graphqlUrl'],
  [/^use\.headerName/, 'headerName'],
  [/^use\.headerPrefix/, 'headerPrefix'],
  [/^whoami\.url/, 'whoamiUrl'],
  [/^whoami\.query/, 'whoamiQuery'],
  [/^whoami\.subject/, 'whoamiSubject'],
  [/^whoami\.label/, 'whoamiLabel'],
  [/^whoami/, 'whoami'],
];

function issuesByField(issues: ProfileIssue[]): { fields: Issues; other: string[] } {
  const fields: Issues = {};
  const other: string[] = [];
  for (const issue of issues) {
    const match = FIELD_FOR_PATH.find(([pattern]) => pattern.test(issue.field));
    if (match && !fields[match[1]]) fields[match[1]] = issue.message;
    else if (!match) other.push(`${issue.field}: ${issue.message}`);
  }
  return { fields, other };
}

export default function ProviderForm({ editor }: { editor: ProviderEditor }) {
  const openProviderEditor = useStore((state) => state.openProviderEditor);
  const close = () => openProviderEditor(null);
  const saveProvider = useStore((state) => state.saveProvider);
  const openConnect = useStore((state) => state.openConnect);
  const existing = useStore((state) =>
    editor.mode === 'edit' ? state.providers.find((p) => p.id === editor.providerId) : undefined,
  );
  const isNew = editor.mode !== 'edit';
  const [base, setBase] = useState<Record<string, unknown> | null>(null);
  const [fields, setFields] = useState<ProviderFormFields>(EMPTY_FIELDS);
  const [idTouched, setIdTouched] = useState(!isNew);
  const [secret, setSecret] = useState('');
  const [replacingSecret, setReplacingSecret] = useState(false);
  const [issues, setIssues] = useState<{ fields: Issues; other: string[] }>({
    fields: {},
    other: [],
  });
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [showAll, setShowAll] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [discovery, setDiscovery] = useState<
    | { state: 'idle' }
    | { state: 'busy' }
    | { state: 'done'; preview: DiscoveryPreview }
    | { state: 'failed'; message: string }
  >({ state: 'idle' });

  // Load the starting profile once per editor target.
  useEffect(() => {
    let cancelled = false;
    const load = async (): Promise<Record<string, unknown>> => {
      switch (editor.mode) {
        case 'new':
        case 'custom':
          return {};
        case 'import':
          return editor.profile;
        case 'preset':
          return (await unwrap(
            windowApi().getPreset({ id: editor.presetId }),
          )) as unknown as Record<string, unknown>;
        case 'edit':
          return (await unwrap(
            windowApi().getProvider({ id: editor.providerId }),
          )) as unknown as Record<string, unknown>;
        default: {
          const unknown: never = editor;
          return unknown;
        }
      }
    };
    load()
      .then((profile) => {
        if (cancelled) return;
        setBase(profile);
        setFields(editor.mode === 'custom' ? EMPTY_FIELDS : fieldsFromProfile(profile));
        setIdTouched(editor.mode === 'edit' || editor.mode === 'import');
      })
      .catch((error: unknown) => !cancelled && setLoadError(errorMessage(error)));
    return () => {
      cancelled = true;
    };
  }, [editor]);

  const profile = useMemo(() => profileFromFields(fields, base ?? {}), [fields, base]);

  // Inline validation through main, debounced; the newest answer wins.
  const sequence = useRef(0);
  useEffect(() => {
    if (!base) return;
    const seq = ++sequence.current;
    const timer = setTimeout(() => {
      void windowApi()
        .validateProvider({ profile, isNew })
        .then((result) => {
          if (seq === sequence.current && result.ok) setIssues(issuesByField(result.value.issues));
        });
    }, VALIDATE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [profile, base, isNew]);

  const set = <K extends keyof ProviderFormFields>(key: K, value: ProviderFormFields[K]) => {
    setTouched((current) => (current.has(key) ? current : new Set(current).add(key)));
    // An edited field's old problem goes at once; main's answer brings back any that remain.
    setIssues((current) => {
      if (!(key in current.fields)) return current;
      const { [key]: _fixed, ...fields } = current.fields;
      return { ...current, fields };
    });
    setFields((current) => {
      const next = { ...current, [key]: value };
      if (key === 'name' && !idTouched) next.id = slugify(String(value));
      return next;
    });
  };

  const discover = async () => {
    setDiscovery({ state: 'busy' });
    try {
      const preview = await unwrap(windowApi().discoverProvider({ issuer: fields.issuer.trim() }));
      setDiscovery({ state: 'done', preview });
      // A server that registers clients needs no client id: use dynamic registration.
      if (
        preview.supports.registration &&
        fields.clientId.trim() === '' &&
        fields.grant === 'authorization_code'
      ) {
        setFields((current) => ({ ...current, clientRegistration: 'dynamic', clientAuth: 'none' }));
      }
    } catch (error) {
      setDiscovery({ state: 'failed', message: errorMessage(error) });
    }
  };

  const hasIssues = Object.keys(issues.fields).length > 0 || issues.other.length > 0;
  const secretNeeded = usesSecret(fields);
  const storedSecret = existing?.hasClientSecret ?? false;

  const save = async (connectAfter: boolean) => {
    setShowAll(true);
    setSaveError(null);
    if (hasIssues) return;
    setSaving(true);
    const clientSecret =
      secretNeeded && secret !== '' ? secret : !secretNeeded && storedSecret ? null : undefined;
    const result = await saveProvider({
      profile: profile as never,
      ...(clientSecret !== undefined ? { clientSecret } : {}),
    });
    setSaving(false);
    if (!result.ok) {
      setSaveError(result.message);
      return;
    }
    setSecret('');
    close();
    if (connectAfter && result.provider) openConnect(result.provider.id);
  };

  const errorFor = (key: keyof ProviderFormFields) =>
    showAll || touched.has(key) || !isNew ? issues.fields[key] : undefined;

  if (loadError) {
    return (
      <p className="inline-error" role="alert">
        {loadError}
      </p>
    );
  }
  if (!base) return <p className="muted">Loading…</p>;

  const title =
    editor.mode === 'edit'
      ? `Edit ${fields.name || 'provider'}`
      : editor.mode === 'preset'
        ? `Add ${fields.name}`
        : editor.mode === 'import'
          ? 'Import a provider'
          : 'Add a custom provider';
  const authCode = fields.grant === 'authorization_code';
  const keyed = fields.grant === 'api_key';

  return (
    <form
      className="provider-form"
      aria-label={title}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void save(false);
      }}
    >
      <header className="view__header">
        <div>
          <h1 className="view__title">{title}</h1>
          <p className="view__subtitle">
            Changes are checked as you type. Nothing is saved until you press Save.
          </p>
        </div>
      </header>

      <Section title="Provider">
        <div className="field__row">
          <Field label="Name" error={errorFor('name')}>
            {(props) => (
              <input
                {...props}
                className="input"
                value={fields.name}
                onChange={(e) => set('name', e.target.value)}
                autoFocus={isNew}
              />
            )}
          </Field>
          <Field
            label="Id"
            hint="Used by the command line: tokendeck connect <id>"
            error={errorFor('id')}
          >
            {(props) => (
              <input
                {...props}
                className="input mono"
                value={fields.id}
                readOnly={!isNew}
                onChange={(e) => {
                  setIdTouched(true);
                  set('id', e.target.value);
                }}
              />
            )}
          </Field>
        </div>
        <Field label="How accounts sign in" error={errorFor('grant')}>
          {(props) => (
            <select
              {...props}
              className="input"
              value={fields.grant}
              onChange={(e) => set('grant', e.target.value as ProviderFormFields['grant'])}
            >
              <option value="authorization_code">In the browser (authorization code + PKCE)</option>
              <option value="client_credentials">
                Client credentials (a client id and secret)
              </option>
              <option value="api_key">API key (paste a key)</option>
            </select>
          )}
        </Field>
      </Section>

      {!keyed ? (
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
                  onClick={() => void discover()}
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
      ) : null}

      {!keyed ? (
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
          {secretNeeded ? (
            storedSecret && !replacingSecret ? (
              <div className="field">
                <span className="field__label">Client secret</span>
                <div className="secret-stored">
                  <span className="tag tag--ok">Stored</span>
                  <span className="muted small">
                    Encrypted in your vault; it is never shown again.
                  </span>
                  <button
                    type="button"
                    className="button button--secondary"
                    onClick={() => setReplacingSecret(true)}
                  >
                    Replace
                  </button>
                </div>
              </div>
            ) : (
              <Field
                label="Client secret"
                hint={
                  storedSecret
                    ? 'Leave empty to keep the stored secret.'
                    : 'Stored encrypted in your vault; it is never shown again.'
                }
                error={
                  showAll && !storedSecret && secret === '' ? 'Enter the client secret.' : undefined
                }
              >
                {(props) => (
                  <input
                    {...props}
                    className="input mono"
                    type="password"
                    autoComplete="new-password"
                    value={secret}
                    onChange={(e) => setSecret(e.target.value)}
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
      ) : null}

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

      {showAll && issues.other.length > 0 ? (
        <div className="inline-error" role="alert">
          {issues.other.join(' ')}
        </div>
      ) : null}
      {saveError ? (
        <p className="inline-error" role="alert">
          {saveError}
        </p>
      ) : null}
      <div className="form__actions form__actions--sticky">
        <button type="button" className="button button--secondary" onClick={close}>
          Cancel
        </button>
        <span className="spacer" />
        {showAll && hasIssues ? (
          <span className="field__error" role="status">
            Fix the marked fields to save.
          </span>
        ) : null}
        <button type="submit" className="button" disabled={saving}>
          Save
        </button>
        <button
          type="button"
          className="button button--primary"
          disabled={saving}
          onClick={() => void save(true)}
        >
          Save and connect
        </button>
      </div>
    </form>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="panel form-section" aria-label={title}>
      <h2 className="panel__title">{title}</h2>
      {children}
    </section>
  );
}

interface ControlProps {
  id: string;
  'aria-invalid': boolean | undefined;
  'aria-describedby': string | undefined;
}

function Field({
  label,
  hint,
  error,
  children,
}: {
  label: string;
  hint?: string;
  error?: string | undefined;
  children(props: ControlProps): ReactNode;
}) {
  const id = useId();
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {children({
        id,
        'aria-invalid': error ? true : undefined,
        'aria-describedby': described || undefined,
      })}
      {hint ? (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="field__error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function DiscoverySummary({ preview }: { preview: DiscoveryPreview }) {
  const facts: Array<[string, boolean]> = [
    ['PKCE (S256)', preview.supports.pkceS256],
    ['Dynamic registration', preview.supports.registration],
    ['Revocation', preview.supports.revocation],
    ['Refresh tokens', preview.supports.refreshToken],
    ['Client credentials', preview.supports.clientCredentials],
    ['iss in responses (RFC 9207)', preview.supports.issParameter],
    ['OpenID Connect', preview.supports.openid],
  ];
  return (
    <div className="discovery" role="status" aria-label="What the server supports">
      <p className="discovery__title">
        Found <span className="mono">{preview.issuer}</span>
      </p>
      <ul className="supports">
        {facts.map(([label, yes]) => (
          <li key={label} className={yes ? 'supports__yes' : 'supports__no'}>
            <span aria-hidden="true">{yes ? '✓' : '–'}</span> {label}
            <span className="visually-hidden">{yes ? ': supported' : ': not offered'}</span>
          </li>
        ))}
      </ul>
      <dl className="facts facts--grid small">
        {Object.entries(preview.endpoints).map(([name, url]) => [
          <dt key={`${name}-t`}>{name}</dt>,
          <dd key={`${name}-d`} className="mono">
            {url}
          </dd>,
        ])}
      </dl>
    </div>
  );
}
