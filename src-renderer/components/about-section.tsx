import { useEffect, useState } from 'react';
import type { AppInfo } from '../../src-preload/contract';
import { unwrap, windowApi } from '../api';

/** Settings → About: the version and the data folder the app and the CLI share. */
export function AboutSection() {
  const [info, setInfo] = useState<AppInfo | null>(null);
  useEffect(() => {
    unwrap(windowApi().getAppInfo()).then(setInfo, () => setInfo(null));
  }, []);
  if (!info) return null;
  return (
    <section className="panel panel--quiet" aria-label="About">
      <dl className="facts facts--grid small">
        <dt>Version</dt>
        <dd>Tokendeck {info.version}</dd>
        <dt>Data folder</dt>
        <dd className="mono">{info.dataDir}</dd>
      </dl>
    </section>
  );
}
