import type { ServiceCalls } from './api';
import type { ServiceParts } from './service-parts';

/** The calls on the providers' saved requests and environments, and the curl export. */
export type LibraryMethod =
  | 'listSavedRequests'
  | 'saveRequest'
  | 'renameSavedRequest'
  | 'deleteSavedRequest'
  | 'listEnvVariables'
  | 'setEnvVariable'
  | 'unsetEnvVariable'
  | 'exportCurl';

export type LibraryCalls = Pick<ServiceCalls, LibraryMethod>;

/** Puts a curl command on the clipboard; `holdsToken` when the token is inlined in it. */
export type CopyCurl = (command: string, holdsToken: boolean, accountId: string) => Promise<void>;

/**
 * The service's saved-request, environment and curl calls, each on the open vault's parts.
 *
 * `exportCurl` with `copy` writes the command to the clipboard in main; with an inlined token the
 * caller then gets the `$(tokendeck token …)` form, so the token never crosses to the renderer.
 */
export function libraryCalls(parts: () => ServiceParts, copyCurl: CopyCurl): LibraryCalls {
  const library = () => parts().library();
  return {
    exportCurl: async ({ spec, options, copy }) => {
      const { context, manager } = parts();
      const { exportCurl } = await import('./console');
      const environment = async (id: string) => (await library()).variables(id);
      const sources = { context, tokens: manager, environment };
      const command = await exportCurl(spec, options, sources);
      const inline = options?.inlineToken === true;
      if (!copy) return { command };
      await copyCurl(command, inline, spec.accountId);
      return { command: inline ? await exportCurl(spec, undefined, sources) : command };
    },
    listSavedRequests: async ({ providerId }) => (await library()).listSaved(providerId),
    saveRequest: async (arg) => (await library()).save(arg),
    renameSavedRequest: async ({ providerId, name, newName }) =>
      (await library()).rename(providerId, name, newName),
    deleteSavedRequest: async ({ providerId, name }) => (await library()).remove(providerId, name),
    listEnvVariables: async ({ providerId }) => (await library()).listVariables(providerId),
    setEnvVariable: async (arg) => (await library()).setVariable(arg),
    unsetEnvVariable: async ({ providerId, name }) =>
      (await library()).unsetVariable(providerId, name),
  };
}
