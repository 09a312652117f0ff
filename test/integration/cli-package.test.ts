import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordSecret, scannedTempDir } from '../helpers/secret-registry';
import { startAluma, type AlumaServer } from '../helpers/servers/aluma';
import { installedSize, packedFiles, SIZE_BASELINE_FILE } from '../helpers/cli-package';

/**
 * The CLI installs on its own: `npm pack`, then `npm install -g --prefix` into a clean folder,
 * then the installed `tokendeck` run from there, with no clone and no `node_modules` of the repo
 * on its path. One pack and one install serve every check here.
 */
const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PASSPHRASE = 'installed cli passphrase';

let work: string;
let prefix: string;
let bin: string;
let tarball: string;
let aluma: AlumaServer;
const client = { client_id: 'ci-client', client_secret: 'ci-secret-from-the-store-1234' };

/** A clean environment: the installed command's folder and the system's, nothing of the repo. */
function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: `${join(prefix, 'bin')}:/usr/local/bin:/usr/bin:/bin`,
    HOME: work,
    TOKENDECK_DATA_DIR: join(work, 'data'),
    ...extra,
  };
}

async function tokendeck(args: string[], extra: NodeJS.ProcessEnv = {}, input?: string) {
  const child = execFile(bin, args, { cwd: work, env: env(extra) });
  child.stdin?.end(input ?? '');
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  if (code !== 0) throw new Error(`tokendeck ${args.join(' ')} exited ${code}: ${stderr}`);
  return stdout;
}

beforeAll(async () => {
  work = scannedTempDir('tokendeck-cli-package-');
  prefix = join(work, 'prefix');
  mkdirSync(prefix);
  aluma = await startAluma({ clients: [client] });
  const packed = await run('npm', ['pack', '--json', '--pack-destination', work], {
    cwd: ROOT,
    maxBuffer: 16 * 1024 * 1024,
  });
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as Array<{
    filename: string;
  }>;
  tarball = join(work, info!.filename);
  await run(
    'npm',
    ['install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tarball],
    { cwd: work, env: { ...process.env, npm_config_cache: join(work, 'npm-cache') } },
  );
  bin = join(prefix, 'bin', 'tokendeck');
}, 300_000);

afterAll(async () => {
  await aluma?.close();
});

describe('the CLI as an npm package', () => {
  it('holds bin/, the bundled entry, README and license; no renderer, Electron, tests or maps', async () => {
    const files = await packedFiles(tarball);
    expect(files).toContain('package/bin/tokendeck.js');
    expect(files).toContain('package/out/cli/tokendeck.js');
    expect(files).toContain('package/README.md');
    expect(files).toContain('package/LICENSE');
    expect(files).toContain('package/package.json');
    for (const file of files) {
      expect(file).toMatch(/^package\/(bin\/|out\/cli\/|README\.md$|LICENSE$|package\.json$)/);
      expect(file).not.toMatch(/\.map$|\.test\.|renderer|electron|preload|\.tsx?$/);
    }
    const manifest = JSON.parse(
      readFileSync(join(prefix, 'lib/node_modules/tokendeck/package.json'), 'utf8'),
    );
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.engines.node).toMatch(/^>=20/);
  });

  it('says in one line that an older Node is too old, as the engines field states', async () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(manifest.engines.node).toBe('>=20.19.0');
    // An older Node, as the command sees it: process.version set back before it runs.
    const older = join(work, 'older-node.cjs');
    writeFileSync(
      older,
      "Object.defineProperty(process, 'versions', { value: { ...process.versions, node: '18.19.0' } });\n" +
        "Object.defineProperty(process, 'version', { value: 'v18.19.0' });\n",
    );
    const result = await run(process.execPath, ['--require', older, bin, '--version'], {
      cwd: work,
      env: env(),
    }).catch((error: { code: number; stderr: string; stdout: string }) => error);
    expect(result).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'tokendeck: needs Node.js 20.19 or newer; this is v18.19.0.\n',
    });
  });

  it('installs at most 20% larger than the recorded size', async () => {
    const size = await installedSize(join(prefix, 'lib/node_modules'));
    const baseline = JSON.parse(readFileSync(join(ROOT, SIZE_BASELINE_FILE), 'utf8'))
      .installedBytes as number;
    process.stdout.write(`tokendeck installed size: ${size} bytes (recorded ${baseline})\n`);
    expect(size).toBeLessThanOrEqual(Math.round(baseline * 1.2));
  });

  it('runs from the install: --version, presets, an API key, and client credentials on loopback', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(await tokendeck(['--version'])).toBe(`${version}\n`);
    expect(
      JSON.parse(await tokendeck(['presets', '--json'])).map((p: { id: string }) => p.id),
    ).toContain('aluma');

    const withPassphrase = { TOKENDECK_PASSPHRASE: PASSPHRASE };
    recordSecret(PASSPHRASE);
    await tokendeck(['provider', 'add', 'keyed', '--grant', 'api_key'], withPassphrase);
    const session = await tokendeck(['unlock', '--raw'], withPassphrase);
    recordSecret(session);
    const s = { TOKENDECK_SESSION: session };
    const key = 'installed-cli-api-key-0123';
    recordSecret(key);
    const keyed = JSON.parse(
      await tokendeck(['connect', 'keyed', '--api-key-stdin', '--json'], s, key),
    );
    expect(await tokendeck(['token', keyed.id], s)).toBe(`${key}\n`);

    recordSecret(client.client_secret);
    await tokendeck(
      [
        'provider',
        'add',
        'ci',
        '--grant',
        'client_credentials',
        '--token-url',
        `${aluma.url}/oauth/token`,
        '--client-id',
        client.client_id,
        '--client-auth',
        'client_secret_post',
        '--client-secret-stdin',
      ],
      s,
      client.client_secret,
    );
    const cc = JSON.parse(await tokendeck(['connect', 'ci', '--json'], s));
    const token = (await tokendeck(['token', cc.id], s)).trim();
    recordSecret(token);
    expect(token.length).toBeGreaterThan(8);
    expect(aluma.tokensIssued).toBe(1);
  });
});
