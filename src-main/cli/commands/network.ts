import { type NetworkSettingsInput, type NetworkView } from '../../core';
import { usageError } from '../args';
import { readTextFile } from '../node-ports';
import type { Command } from './context';

/**
 * `network`: shows, or sets, the data folder's proxy and extra certificate authority. The app
 * shares them (Settings → Network); they win over HTTPS_PROXY, NO_PROXY and
 * NODE_EXTRA_CA_CERTS, which apply when the setting is `--system`.
 */
export const network: Command = async (_args, values, ctx) => {
  const proxyModes = ['proxy', 'direct', 'system'].filter((flag) => values[flag] !== undefined);
  if (proxyModes.length > 1) {
    throw usageError('Use one of --proxy, --direct or --system.');
  }
  if (values.bypass !== undefined && values.proxy === undefined) {
    throw usageError('--bypass goes with --proxy URL.');
  }
  if (values['ca-file'] !== undefined && values['remove-ca']) {
    throw usageError('Use --ca-file or --remove-ca, not both.');
  }
  const caFile = values['ca-file'] as string | undefined;
  const pem = caFile ? await readTextFile(ctx.io, caFile, '--ca-file') : undefined;
  const service = await ctx.open();
  let view = await service.getNetworkSettings();
  const changes = proxyModes.length > 0 || pem !== undefined || values['remove-ca'];
  if (changes) {
    const next: NetworkSettingsInput = {
      proxy: values.proxy
        ? {
            mode: 'manual',
            url: values.proxy as string,
            bypass: (values.bypass as string | undefined) ?? '',
          }
        : values.direct
          ? { mode: 'direct' }
          : values.system
            ? { mode: 'system' }
            : view.settings.proxy,
    };
    const ca = pem !== undefined ? { pem, name: caFile! } : view.settings.ca;
    if (ca && !values['remove-ca']) next.ca = ca;
    view = await service.setNetworkSettings(next);
  }
  ctx.print(describe(view), view);
  return 0;
};

function describe(view: NetworkView): string {
  const { effective } = view;
  const cas = effective.extraCas.length ? effective.extraCas.join(', ') : 'none';
  return `proxy:     ${effective.proxy}\nbypass:    ${effective.bypass}\nextra CAs: ${cas}\n`;
}
