import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import type { GrantType, ProviderSummary } from '../../../src-preload/contract';
import { useStore } from '../../store';
import { ConfirmDialog } from '../dialog';
import { EmptyState } from '../empty-state';
import { InlineError } from '../inline-error';
import { MenuButton } from '../menu';
import { ViewHeader } from '../page-header';
import { SearchField } from '../search-field';

const ProviderForm = lazy(() => import('./provider-form'));
const ApiUrlDialog = lazy(() =>
  import('./api-url-dialog').then((module) => ({ default: module.ApiUrlDialog })),
);

export const GRANT_LABELS: Record<GrantType, string> = {
  authorization_code: 'Browser sign-in',
  device_code: 'Device code',
  client_credentials: 'Client credentials',
  api_key: 'API key',
};

/** What a preset that needs nothing filled in does. */
const PRESET_NEEDS: Record<GrantType, string> = {
  authorization_code: 'Nothing to fill in: signs in through your browser',
  device_code: 'Nothing to fill in: shows a code to enter on any device',
  client_credentials: 'Nothing to fill in',
  api_key: 'Nothing to fill in',
};

/**
 * Providers: the configured ones (Connect, Edit, Export, Remove), and adding one from the preset
 * catalogue, a blank custom form, or a shared profile file.
 */
export function ProvidersView() {
  const editor = useStore((state) => state.providerEditor);
  const loadProviders = useStore((state) => state.loadProviders);
  const loadPresets = useStore((state) => state.loadPresets);

  useEffect(() => {
    void loadProviders();
    void loadPresets();
  }, [loadProviders, loadPresets]);

  if (editor && editor.mode !== 'new') {
    return (
      <div className="view view--narrow">
        <Suspense fallback={<p className="muted">Loading the form…</p>}>
          <ProviderForm key={JSON.stringify(editor)} editor={editor} />
        </Suspense>
      </div>
    );
  }
  if (editor?.mode === 'new') return <Catalogue />;
  return <ProviderList />;
}

function ProviderList() {
  const providers = useStore((state) => state.providers);
  const status = useStore((state) => state.providersStatus);
  const error = useStore((state) => state.providersError);
  const [removing, setRemoving] = useState<ProviderSummary | null>(null);

  return (
    <div className="view">
      <ViewHeader title="Providers" subtitle="The OAuth servers and APIs Tokendeck can connect to.">
        <div className="view__actions">
          <ImportButton />
          <AddProviderButton />
        </div>
      </ViewHeader>
      <InlineError message={error} />
      {status === 'ready' && providers.length === 0 ? (
        <EmptyState title="No providers yet">
          <p>
            Pick a preset such as GitHub or Google, describe any OAuth server, or import a profile
            file from your team.
          </p>
          <div className="empty__actions">
            <AddProviderButton />
          </div>
        </EmptyState>
      ) : null}
      {providers.length > 0 ? (
        <ul className="provider-list" aria-label="Providers">
          {providers.map((provider) => (
            <ProviderCard
              key={provider.id}
              provider={provider}
              onRemove={() => setRemoving(provider)}
            />
          ))}
        </ul>
      ) : null}
      {removing ? (
        <RemoveProviderDialog provider={removing} onClose={() => setRemoving(null)} />
      ) : null}
    </div>
  );
}

function AddProviderButton() {
  const openProviderEditor = useStore((state) => state.openProviderEditor);
  return (
    <button
      type="button"
      className="button button--primary"
      onClick={() => openProviderEditor({ mode: 'new' })}
    >
      Add provider
    </button>
  );
}

function ProviderCard({ provider, onRemove }: { provider: ProviderSummary; onRemove(): void }) {
  const count = useStore(
    (state) =>
      state.accountOrder.filter((id) => state.accountsById[id]?.providerId === provider.id).length,
  );
  const openConnect = useStore((state) => state.openConnect);
  const openProviderEditor = useStore((state) => state.openProviderEditor);
  const exportFile = useStore((state) => state.exportProviderFile);
  return (
    <li className="provider-card">
      <div className="provider-card__main">
        <div className="provider-card__name">{provider.name}</div>
        <div className="muted small">
          {GRANT_LABELS[provider.grant]} · {count === 1 ? '1 account' : `${count} accounts`}
          {provider.issuer ? <span className="mono"> · {provider.issuer}</span> : null}
        </div>
      </div>
      <div className="provider-card__actions">
        <button
          type="button"
          className="button"
          onClick={() => openConnect(provider.id)}
          aria-label={`Connect ${provider.name}`}
        >
          Connect
        </button>
        <MenuButton
          label={`More actions for ${provider.name}`}
          items={[
            {
              label: 'Edit…',
              onSelect: () => openProviderEditor({ mode: 'edit', providerId: provider.id }),
            },
            {
              label: 'Export profile file',
              onSelect: () =>
                void exportFile(provider.id).then((file) => {
                  if (file) download(file.fileName, file.text);
                }),
            },
            { label: 'Remove…', onSelect: onRemove, danger: true },
          ]}
        >
          ⋯
        </MenuButton>
      </div>
    </li>
  );
}

function download(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A provider file is a few KB; anything this big is not one, and is not read at all. */
const MAX_FILE_BYTES = 256 * 1024;

/** Reads a shared profile file (no secrets) through main and opens it in the form to check and save. */
function ImportButton() {
  const openProviderEditor = useStore((state) => state.openProviderEditor);
  const readProviderFile = useStore((state) => state.readProviderFile);
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);
  const open = async (file: File) => {
    if (file.size === 0 || file.size > MAX_FILE_BYTES) {
      setError(
        `${file.name} is not a provider file: it is ${file.size === 0 ? 'empty' : 'larger than 256 KiB'}.`,
      );
      return;
    }
    const result = await readProviderFile(await file.text());
    if (!result.ok) {
      setError(`${file.name}: ${result.message}`);
      return;
    }
    setError(null);
    openProviderEditor({
      mode: 'import',
      profile: result.profile as unknown as Record<string, unknown>,
    });
  };
  return (
    <>
      <button
        type="button"
        className="button button--secondary"
        onClick={() => input.current?.click()}
      >
        Import profile…
      </button>
      <input
        ref={input}
        type="file"
        accept="application/json,.json"
        className="visually-hidden"
        tabIndex={-1}
        aria-label="Provider profile file"
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = '';
          if (file) void open(file);
        }}
      />
      {error ? (
        <span className="inline-error small" role="alert">
          {error}
        </span>
      ) : null}
    </>
  );
}

function RemoveProviderDialog({
  provider,
  onClose,
}: {
  provider: ProviderSummary;
  onClose(): void;
}) {
  const count = useStore(
    (state) =>
      state.accountOrder.filter((id) => state.accountsById[id]?.providerId === provider.id).length,
  );
  const removeProvider = useStore((state) => state.removeProvider);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <ConfirmDialog
      title={`Remove ${provider.name}?`}
      confirm={
        count > 0
          ? `Remove provider and ${count === 1 ? '1 account' : `${count} accounts`}`
          : 'Remove provider'
      }
      busy={busy}
      error={error}
      onClose={onClose}
      onConfirm={() => {
        setBusy(true);
        void removeProvider(provider.id).then((result) => {
          setBusy(false);
          if (result.ok) onClose();
          else setError(result.message);
        });
      }}
    >
      <p>
        {count === 0
          ? 'It has no accounts. Its settings and any stored client secret are deleted.'
          : `${count === 1 ? 'Its 1 account goes' : `All ${count} of its accounts go`} with it${provider.revokes ? ', each revoked at the provider first' : ''}. Its settings and stored client secret are deleted.`}
      </p>
    </ConfirmDialog>
  );
}

/** The preset catalogue: search, then pick a preset or start a custom provider. */
function Catalogue() {
  const presets = useStore((state) => state.presets);
  const openProviderEditor = useStore((state) => state.openProviderEditor);
  const [query, setQuery] = useState('');
  const [fromApi, setFromApi] = useState(false);
  const shown = useMemo(() => {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    return presets.filter((preset) => {
      const text =
        `${preset.name} ${preset.id} ${preset.description} ${GRANT_LABELS[preset.grant]}`.toLowerCase();
      return words.every((word) => text.includes(word));
    });
  }, [presets, query]);

  return (
    <div className="view">
      <ViewHeader
        title="Add a provider"
        subtitle="Start from a preset and fill in what it needs, or describe any OAuth server."
      >
        <button
          type="button"
          className="button button--secondary"
          onClick={() => openProviderEditor(null)}
        >
          Cancel
        </button>
      </ViewHeader>
      <div className="toolbar">
        <SearchField
          label="Search presets"
          placeholder="Search presets"
          value={query}
          onChange={setQuery}
          autoFocus
        />
      </div>
      <ul className="catalogue" aria-label="Presets">
        <li>
          <button
            type="button"
            className="preset preset--custom"
            onClick={() => openProviderEditor({ mode: 'custom' })}
          >
            <span className="preset__name">Custom provider</span>
            <span className="preset__needs">
              Any OAuth 2.0 or OpenID Connect server, or an API key
            </span>
            <span className="preset__text">
              Discover it from its issuer URL, or enter its endpoints.
            </span>
          </button>
        </li>
        <li>
          <button type="button" className="preset preset--custom" onClick={() => setFromApi(true)}>
            <span className="preset__name">From an API URL</span>
            <span className="preset__needs">Only the API's address (RFC 9728)</span>
            <span className="preset__text">
              Tokendeck asks the API which authorization server it trusts, as MCP clients do.
            </span>
          </button>
        </li>
        {shown.map((preset) => (
          <li key={preset.id}>
            <button
              type="button"
              className="preset"
              onClick={() => openProviderEditor({ mode: 'preset', presetId: preset.id })}
            >
              <span className="preset__name">{preset.name}</span>
              <span className="preset__needs">
                {preset.needs.length > 0
                  ? `Needs ${preset.needs.join(', ')}`
                  : PRESET_NEEDS[preset.grant]}
              </span>
              <span className="preset__text">{preset.description}</span>
            </button>
          </li>
        ))}
      </ul>
      {fromApi ? (
        <Suspense fallback={null}>
          <ApiUrlDialog onClose={() => setFromApi(false)} />
        </Suspense>
      ) : null}
    </div>
  );
}
