import { z, type ZodType } from 'zod';
import type { ApiCalls, ApiMethod } from './api';
import { MAX_LABEL_LENGTH } from './account-edits';
import { COPY_FORMATS } from './model';
import {
  MAX_VARIABLE_VALUE,
  SAVED_REQUEST_NAME,
  SAVED_REQUEST_NAME_RULE,
  VARIABLE_NAME,
  VARIABLE_NAME_RULE,
} from './console-names';
import { MAX_PROVIDER_FILE_BYTES } from './provider-file';
import { networkSettingsSchema } from './net';
import { providerIdSchema, providerProfileSchema } from './providers';
import { MIN_PASSPHRASE_LENGTH, isShortPassphrase } from './vault';
import { settingsPatchSchema } from './settings';

/**
 * The run-time schema of every call's argument (SECURITY 9).
 *
 * The map is keyed by every {@link ApiMethod}, so a call added to the API without a schema fails
 * the typecheck, and each schema's output must fit the call's argument type. Objects are strict
 * (unknown keys are refused) and every string and list has a bound. The IPC handlers check every
 * argument with these before the service sees it.
 */

const MAX_ID = 128;
const MAX_URL = 8192;
const MAX_HEADER_VALUE = 8192;
const MAX_HEADERS = 100;
const MAX_BODY = 1_000_000;

const noArg = z.undefined();
const id = (what: string) =>
  z
    .string({ error: `${what} must be a string` })
    .min(1, `${what} must not be empty`)
    .max(MAX_ID, `${what} must be at most ${MAX_ID} characters`);
const accountId = id('accountId');
const requestId = id('requestId');
const passphrase = z.string().min(1, 'passphrase must not be empty').max(1024);
/** A passphrase being set: at least 8 characters (code points), as every path demands. */
const newPassphrase = passphrase.refine(
  (value) => !isShortPassphrase(value),
  `passphrase must have at least ${MIN_PASSPHRASE_LENGTH} characters`,
);

/** RFC 9110 §5.6.2 token: a header name cannot smuggle CR/LF, a colon or spaces. */
const headerName = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, 'must be a valid HTTP header name (RFC 9110 token)');
const noControlLines = z
  .string()
  .max(MAX_HEADER_VALUE)
  .regex(/^[^\r\n\0]*$/, 'must not contain CR, LF or NUL');
const headerList = z.array(z.tuple([headerName, noControlLines])).max(MAX_HEADERS);
const queryList = z.array(z.tuple([noControlLines, noControlLines])).max(MAX_HEADERS);

/** An absolute http(s) URL, or a path under the provider's API base (never `//host`). */
const requestUrl = z
  .string()
  .min(1, 'url must not be empty')
  .max(MAX_URL)
  .regex(/^[^\s\0]*$/, 'must not contain spaces or control characters')
  .refine((value) => {
    if (value.startsWith('/')) return !value.startsWith('//') && !value.startsWith('/\\');
    try {
      const url = new URL(value);
      return url.protocol === 'https:' || url.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'must be an absolute http(s) URL or a path starting with /');

const timeoutMs = z.number().int().min(1).max(600_000);

const restShape = {
  kind: z.literal('rest'),
  accountId,
  method: z
    .string()
    .min(1)
    .max(16)
    .regex(/^[A-Za-z]+$/, 'must be an HTTP method such as GET'),
  url: requestUrl,
  query: queryList.optional(),
  headers: headerList.optional(),
  body: z
    .strictObject({
      type: z.enum(['json', 'form', 'raw']),
      text: z.string().max(MAX_BODY),
    })
    .optional(),
  allowForeignOrigin: z.boolean().optional(),
  locationTrusted: z.boolean().optional(),
  timeoutMs: timeoutMs.optional(),
};

const graphqlShape = {
  kind: z.literal('graphql'),
  accountId,
  query: z.string().min(1, 'query must not be empty').max(MAX_BODY),
  variables: z.record(z.string().max(256), z.unknown()).optional(),
  operationName: z
    .string()
    .max(256)
    .regex(/^[_A-Za-z][_0-9A-Za-z]*$/, 'must be a GraphQL name')
    .optional(),
  url: requestUrl.optional(),
  headers: headerList.optional(),
  allowForeignOrigin: z.boolean().optional(),
  locationTrusted: z.boolean().optional(),
  timeoutMs: timeoutMs.optional(),
};

/** A console request: REST or GraphQL. */
export const requestSpecSchema = z.discriminatedUnion('kind', [
  z.strictObject(restShape),
  z.strictObject(graphqlShape),
]);

const sendRequestSchema = z.discriminatedUnion('kind', [
  z.strictObject({ ...restShape, requestId }),
  z.strictObject({ ...graphqlShape, requestId }),
]);

/** A request as a saved item: the same fields, without the account. */
const savedRequestSpecSchema = z.discriminatedUnion('kind', [
  z.strictObject(restShape).omit({ accountId: true }),
  z.strictObject(graphqlShape).omit({ accountId: true }),
]);
const savedName = z.string().max(64).regex(SAVED_REQUEST_NAME, SAVED_REQUEST_NAME_RULE);
const variableName = z.string().max(64).regex(VARIABLE_NAME, VARIABLE_NAME_RULE);

export type ContractSchemas = { [M in ApiMethod]: ZodType<ApiCalls[M]['arg']> };

export const CONTRACT_SCHEMAS: ContractSchemas = {
  getAppInfo: noArg,
  getVaultStatus: noArg,
  listPresets: noArg,
  getPreset: z.strictObject({ id: id('id') }),
  listProviders: noArg,
  getProvider: z.strictObject({ id: providerIdSchema }),
  saveProvider: z.strictObject({
    profile: providerProfileSchema,
    clientSecret: z.string().min(1).max(8192).nullable().optional(),
    clientKey: z.string().min(1).max(65_536).nullable().optional(),
    create: z.boolean().optional(),
    confirmDrops: z.boolean().optional(),
  }),
  previewProviderEdit: z.strictObject({
    profile: providerProfileSchema,
    withNewSecret: z.boolean().optional(),
  }),
  exportProvider: z.strictObject({ id: providerIdSchema }),
  parseProviderFile: z.strictObject({ text: z.string().min(1).max(MAX_PROVIDER_FILE_BYTES) }),
  removeProvider: z.strictObject({ id: providerIdSchema }),
  discoverFromApi: z.strictObject({ url: z.string().min(1).max(MAX_URL), id: providerIdSchema }),
  listAccounts: noArg,
  connectAccount: z.strictObject({
    providerId: providerIdSchema,
    apiKey: z.string().min(1).max(16_384).optional(),
    accountId: accountId.optional(),
  }),
  cancelConnect: z.strictObject({ providerId: providerIdSchema }),
  copyFlowLink: z.strictObject({ providerId: providerIdSchema }),
  renewAccount: z.strictObject({ accountId }),
  removeAccount: z.strictObject({ accountId }),
  exchangeToken: z.strictObject({
    accountId,
    audience: z.string().min(1).max(2048),
    scopes: z.array(z.string().min(1).max(256)).max(100).optional(),
    resource: z.string().min(1).max(MAX_URL).optional(),
  }),
  renameAccount: z.strictObject({ accountId, label: z.string().min(1).max(MAX_LABEL_LENGTH) }),
  mergeAccounts: z.strictObject({ keepId: id('keepId'), otherId: id('otherId') }),
  setDefaultAccount: z.strictObject({ accountId }),
  copyToken: z.strictObject({ accountId, format: z.enum(COPY_FORMATS).optional() }),
  revealToken: z.strictObject({ accountId }),
  sendRequest: sendRequestSchema,
  cancelRequest: z.strictObject({ requestId }),
  listHistory: z.strictObject({ accountId }),
  clearHistory: z.strictObject({ accountId }),
  introspectGraphql: z.strictObject({ accountId, refresh: z.boolean().optional() }),
  exportCurl: z.strictObject({
    spec: requestSpecSchema,
    options: z.strictObject({ inlineToken: z.boolean().optional() }).optional(),
    copy: z.boolean().optional(),
  }),
  listSavedRequests: z.strictObject({ providerId: providerIdSchema }),
  saveRequest: z.strictObject({
    providerId: providerIdSchema,
    name: savedName,
    request: savedRequestSpecSchema,
    overwrite: z.boolean().optional(),
  }),
  renameSavedRequest: z.strictObject({
    providerId: providerIdSchema,
    name: savedName,
    newName: savedName,
  }),
  deleteSavedRequest: z.strictObject({ providerId: providerIdSchema, name: savedName }),
  listEnvVariables: z.strictObject({ providerId: providerIdSchema }),
  setEnvVariable: z.strictObject({
    providerId: providerIdSchema,
    name: variableName,
    value: z
      .string()
      .max(MAX_VARIABLE_VALUE)
      .regex(/^[^\0]*$/, 'must not contain NUL'),
    secret: z.boolean().optional(),
  }),
  unsetEnvVariable: z.strictObject({ providerId: providerIdSchema, name: variableName }),
  setPassphrase: z.strictObject({ passphrase: newPassphrase }),
  removePassphrase: noArg,
  unlockWithPassphrase: z.strictObject({ passphrase }),
  allowInsecureKeychain: z.strictObject({ confirm: z.literal(true) }),
  resetVault: z.strictObject({ confirm: z.literal(true) }),
  getNetworkSettings: noArg,
  setNetworkSettings: networkSettingsSchema,
  getAgentSettings: noArg,
  setAgentSettings: z.strictObject({ enabled: z.boolean(), askOnNewTerminal: z.boolean() }),
  getSettings: noArg,
  saveSettings: settingsPatchSchema,
  validateProvider: z.strictObject({
    profile: z.record(z.string().max(64), z.unknown()),
    isNew: z.boolean().optional(),
  }),
  discoverProvider: z.strictObject({ issuer: z.string().min(1).max(MAX_URL) }),
};
