import { defineConfig } from '@playwright/test';

/**
 * `npm run smoke`: the packaged app (from `npm run dist`) in a real Electron, driven by
 * Playwright's `_electron`. It needs the Electron that electron-builder packaged, so it runs in
 * the release workflow on macOS, Windows and Linux (under xvfb), never in `npm test`.
 */
export default defineConfig({
  testDir: 'test/smoke',
  testMatch: '**/*.smoke.ts',
  outputDir: 'test-results/smoke',
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 180_000,
  reporter: 'list',
});
