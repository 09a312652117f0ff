import { useEffect, useMemo, useRef, useState } from 'react';
import type { ProfileIssue, ProviderEditPreview } from '../../../src-preload/contract';
import { errorMessage, unwrap, windowApi } from '../../api';
import { useStore, type ProviderEditor } from '../../store';
import { Field, Section } from './form-parts';
import {
  EMPTY_FIELDS,
  fieldsFromProfile,
  profileFromFields,
  slugify,
  usesSecret,
  type ProviderFormFields,
} from './provider-form-model';
import {
  ClientSection,
  EndpointsSection,
  SelectField,
  UsageSection,
  type DiscoveryState,
  type FormState,
} from './provider-form-sections';
import { EditWarningDialog, dropsStoredSecrets } from './edit-warning-dialog';
import { InlineError } from '../inline-error';
import { ViewHeader } from '../page-header';

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
  [/^quirks\.assumeExpiresIn/, 'assumeExpiresIn'],
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
  const previewProviderEdit = useStore((state) => state.previewProviderEdit);
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
  const [discovery, setDiscovery] = useState<DiscoveryState>({ state: 'idle' });
  // An edit that would drop stored secrets waits here for the user's yes.
  const [pending, setPending] = useState<{
    preview: ProviderEditPreview;
    connectAfter: boolean;
  } | null>(null);
  const [pendingError, setPendingError] = useState<string | null>(null);

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

  const clientSecret =
    secretNeeded && secret !== '' ? secret : !secretNeeded && storedSecret ? null : undefined;

  /** Saves; `confirmDrops` says the user agreed to what the edit drops. */
  const commit = async (connectAfter: boolean, confirmDrops: boolean) => {
    setSaving(true);
    const result = await saveProvider({
      profile: profile as never,
      ...(clientSecret !== undefined ? { clientSecret } : {}),
      ...(confirmDrops ? { confirmDrops } : {}),
    });
    setSaving(false);
    if (!result.ok) {
      if (confirmDrops) setPendingError(result.message);
      else setSaveError(result.message);
      return;
    }
    setPending(null);
    setSecret('');
    close();
    if (connectAfter && result.provider) openConnect(result.provider.id);
  };

  const save = async (connectAfter: boolean) => {
    setShowAll(true);
    setSaveError(null);
    if (hasIssues) return;
    if (!isNew) {
      // Ask main what the edit drops before saving; credentials never follow a change silently.
      setSaving(true);
      const answer = await previewProviderEdit(profile as never, typeof clientSecret === 'string');
      setSaving(false);
      if (!answer.ok) {
        setSaveError(answer.message);
        return;
      }
      if (dropsStoredSecrets(answer.preview)) {
        setPendingError(null);
        setPending({ preview: answer.preview, connectAfter });
        return;
      }
    }
    await commit(connectAfter, false);
  };

  const errorFor = (key: keyof ProviderFormFields) =>
    showAll || touched.has(key) || !isNew ? issues.fields[key] : undefined;
  const form: FormState = { fields, set, errorFor };

  if (loadError) return <InlineError message={loadError} />;
  if (!base) return <p className="muted">Loading…</p>;

  const title =
    editor.mode === 'edit'
      ? `Edit ${fields.name || 'provider'}`
      : editor.mode === 'preset'
        ? `Add ${fields.name}`
        : editor.mode === 'import'
          ? 'Import a provider'
          : 'Add a custom provider';
  const keyed = fields.grant === 'api_key';

  return (
    <>
      <form
        className="provider-form"
        aria-label={title}
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void save(false);
        }}
      >
        <ViewHeader
          title={title}
          subtitle="Changes are checked as you type. Nothing is saved until you press Save."
        />

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
          <SelectField
            form={form}
            name="grant"
            label="How accounts sign in"
            options={[
              ['authorization_code', 'In the browser (authorization code + PKCE)'],
              ['device_code', 'With a code entered on any device (RFC 8628)'],
              ['client_credentials', 'Client credentials (a client id and secret)'],
              ['api_key', 'API key (paste a key)'],
            ]}
          />
        </Section>

        {!keyed ? (
          <EndpointsSection form={form} discovery={discovery} onDiscover={() => void discover()} />
        ) : null}

        {!keyed ? (
          <ClientSection
            form={form}
            secret={{
              value: secret,
              set: setSecret,
              stored: storedSecret,
              replacing: replacingSecret,
              replace: () => setReplacingSecret(true),
              needed: secretNeeded,
              missing: showAll && !storedSecret && secret === '',
            }}
          />
        ) : null}

        <UsageSection form={form} />

        {showAll && issues.other.length > 0 ? (
          <div className="inline-error" role="alert">
            {issues.other.join(' ')}
          </div>
        ) : null}
        <InlineError message={saveError} />
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
      {pending ? (
        <EditWarningDialog
          providerName={fields.name || fields.id}
          preview={pending.preview}
          busy={saving}
          error={pendingError}
          onConfirm={() => void commit(pending.connectAfter, true)}
          onClose={() => setPending(null)}
        />
      ) : null}
    </>
  );
}
