import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { GrantType } from '../../src-preload/contract';
import { useStore } from '../store';
import { EmptyState } from './empty-state';
import { InlineError } from './inline-error';
import { ViewHeader } from './page-header';

const GRANT_LABELS: Record<GrantType, string> = {
  authorization_code: 'Authorization code',
  device_code: 'Device code',
  client_credentials: 'Client credentials',
  api_key: 'API key',
};

/** The providers view: the configured providers (editing comes with the provider issue). */
export function ProvidersView() {
  const { providers, status, error } = useStore(
    useShallow((state) => ({
      providers: state.providers,
      status: state.providersStatus,
      error: state.providersError,
    })),
  );
  const loadProviders = useStore((state) => state.loadProviders);

  useEffect(() => {
    void loadProviders();
  }, [loadProviders]);

  return (
    <div className="view">
      <ViewHeader
        title="Providers"
        subtitle="The OAuth servers and APIs Tokendeck can connect to."
      />
      <InlineError message={error} />
      {status === 'ready' && providers.length === 0 ? (
        <EmptyState title="No providers yet">
          <p>
            From a terminal:{' '}
            <code className="command">tokendeck provider add &lt;name&gt; --preset &lt;id&gt;</code>
          </p>
        </EmptyState>
      ) : null}
      {providers.length > 0 ? (
        <ul className="cards">
          {providers.map((provider) => (
            <li key={provider.id} className="card">
              <div className="card__title">{provider.name}</div>
              <div className="muted small">{GRANT_LABELS[provider.grant]}</div>
              {provider.issuer ? <div className="muted small mono">{provider.issuer}</div> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
