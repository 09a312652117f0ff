import type { VaultStatus } from '../../src-preload/contract';

/** Where the vault file is and, after a reset, where the earlier copy was kept. */
export function VaultFileFacts({ status }: { status: VaultStatus }) {
  return (
    <dl className="facts">
      <dt>Vault file</dt>
      <dd>
        <code className="path">{status.path}</code>
      </dd>
      {status.setAside ? (
        <>
          <dt>Earlier copy</dt>
          <dd>
            <code className="path">{status.setAside}</code>
          </dd>
        </>
      ) : null}
    </dl>
  );
}
