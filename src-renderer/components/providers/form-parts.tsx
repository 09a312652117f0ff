import { useId, type ReactNode } from 'react';
import type { DiscoveryPreview } from '../../../src-preload/contract';

/** The building blocks of the provider form: a section, a labelled field, the discovery facts. */
export function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="panel form-section" aria-label={title}>
      <h2 className="panel__title">{title}</h2>
      {children}
    </section>
  );
}

export interface ControlProps {
  id: string;
  'aria-invalid': boolean | undefined;
  'aria-describedby': string | undefined;
}

export function Field({
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

export function DiscoverySummary({ preview }: { preview: DiscoveryPreview }) {
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
