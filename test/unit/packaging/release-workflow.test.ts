import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { validateWorkflow } from '@action-validator/core';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * .github/workflows/release.yml, validated against the GitHub workflow JSON schema
 * (SchemaStore's, as shipped inside @action-validator/core), and read for what it must do.
 */

const root = resolve(import.meta.dirname, '../../..');
const source = readFileSync(join(root, '.github/workflows/release.yml'), 'utf8');

interface Step {
  name?: string;
  if?: string;
  run?: string;
  uses?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  'runs-on': string;
  if?: string;
  needs?: string;
  strategy?: { matrix: { os: string[] } };
  steps: Step[];
  permissions?: Record<string, string>;
}
const workflow = parse(source) as { on: Record<string, unknown>; jobs: Record<string, Job> };
const packageJob = workflow.jobs.package!;
const runs = packageJob.steps.filter((step) => step.run);
const stepRunning = (command: string) => runs.find((step) => step.run?.includes(command));

describe('the release workflow', () => {
  it('is valid against the GitHub workflow schema', () => {
    expect(validateWorkflow(source).errors).toEqual([]);
  });

  it('a broken copy fails the same check, so the check is real', () => {
    const broken = source.replace('runs-on: ${{ matrix.os }}', 'runs-onn: ${{ matrix.os }}');
    expect(validateWorkflow(broken).errors).not.toEqual([]);
  });

  it('packages on macOS, Windows and Linux, after a clean install', () => {
    expect(packageJob.strategy?.matrix.os).toEqual([
      'macos-latest',
      'windows-latest',
      'ubuntu-latest',
    ]);
    expect(packageJob['runs-on']).toBe('${{ matrix.os }}');
    const order = ['npm ci', 'npm run dist', 'npm run smoke'].map((command) =>
      runs.indexOf(stepRunning(command)!),
    );
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('runs npm test on ubuntu only, with the Chromium path from Playwright', () => {
    expect(stepRunning('npm test')?.if).toBe("runner.os == 'Linux'");
    expect(stepRunning('playwright install')?.run).toContain('CHROMIUM_PATH=');
  });

  it('runs the smoke test under xvfb on Linux, directly elsewhere', () => {
    const smoke = runs.filter((step) => step.run?.includes('npm run smoke'));
    expect(smoke.map((step) => [step.if, step.run])).toEqual([
      ["runner.os == 'Linux'", 'xvfb-run --auto-servernum npm run smoke'],
      ["runner.os != 'Linux'", 'npm run smoke'],
    ]);
  });

  it('signs from secrets, uploads the installers, and drafts a release for a tag', () => {
    expect(Object.keys(stepRunning('npm run dist')?.env ?? {})).toEqual(
      expect.arrayContaining(['CSC_LINK', 'APPLE_API_KEY', 'WIN_CSC_LINK']),
    );
    const upload = packageJob.steps.find((step) =>
      step.uses?.startsWith('actions/upload-artifact'),
    );
    expect(String(upload?.with?.path)).toMatch(/dmg[\s\S]*exe[\s\S]*AppImage[\s\S]*deb/);
    const release = workflow.jobs.release!;
    expect(release.if).toBe("startsWith(github.ref, 'refs/tags/v')");
    expect(release.needs).toBe('package');
    expect(release.permissions).toEqual({ contents: 'write' });
    expect(release.steps.at(-1)?.run).toContain('--draft');
    expect(workflow.on).toHaveProperty('push.tags', ['v*']);
  });
});
