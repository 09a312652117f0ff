import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The measures `npm run bench` reports as ratios to a bare baseline, and the goal of each.
 *
 * Each bench file measures its pairs itself (interleaved, in its own process) and calls
 * {@link recordResult}; each result goes to its own file under `bench/.results/`, because vitest
 * runs every bench file in a worker of its own. The global teardown ({@link collectResults})
 * gathers them into `bench/results.json` and prints one table. A missed goal is reported, never
 * failed: no benchmark fails the build.
 */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** What the value is compared to, measured in the same process and run; null when none. */
  baseline: string | null;
  baselineValue: number | null;
  /** value / baselineValue, or null without a baseline. */
  ratio: number | null;
  /** As a reader says it: `ratio ≤ 1.5` or `≤ 200 ms`. */
  goal: string;
  met: boolean;
}

const ROOT = fileURLToPath(new URL('.', import.meta.url));
export const RESULTS_DIR = `${ROOT}.results`;
export const RESULTS_FILE = `${ROOT}results.json`;

/** A measure against its baseline; the goal caps the ratio. */
export function ratioResult(
  name: string,
  value: number,
  unit: string,
  baseline: { name: string; value: number },
  maxRatio: number,
): BenchResult {
  const ratio = value / baseline.value;
  return {
    name,
    value: round(value),
    unit,
    baseline: baseline.name,
    baselineValue: round(baseline.value),
    ratio: round(ratio),
    goal: `ratio ≤ ${maxRatio}`,
    met: ratio <= maxRatio,
  };
}

/** A measure shown beside its baseline with no goal of its own (a p99 whose goal is the p50's). */
export function reportResult(
  name: string,
  value: number,
  unit: string,
  baseline: { name: string; value: number },
): BenchResult {
  return { ...ratioResult(name, value, unit, baseline, Infinity), goal: 'none', met: true };
}

/** A measure with no baseline; the goal caps the value itself. */
export function absoluteResult(
  name: string,
  value: number,
  unit: string,
  max: number,
): BenchResult {
  return {
    name,
    value: round(value),
    unit,
    baseline: null,
    baselineValue: null,
    ratio: null,
    goal: `≤ ${max} ${unit}`,
    met: value <= max,
  };
}

export function recordResult(...results: BenchResult[]): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  for (const result of results) {
    const file = result.name.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase();
    writeFileSync(`${RESULTS_DIR}/${file}.json`, JSON.stringify(result));
  }
}

export function clearResults(): void {
  rmSync(RESULTS_DIR, { recursive: true, force: true });
}

/** Writes `bench/results.json` in the order the measures were taken and returns its table. */
export function collectResults(order: string[]): string {
  let files: string[] = [];
  try {
    files = readdirSync(RESULTS_DIR);
  } catch {
    // No bench recorded anything (a single file run without ratios).
  }
  const results = files
    .map((file) => JSON.parse(readFileSync(`${RESULTS_DIR}/${file}`, 'utf8')) as BenchResult)
    .sort((a, b) => rank(order, a.name) - rank(order, b.name) || a.name.localeCompare(b.name));
  if (results.length === 0) return '';
  writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  clearResults();
  return formatTable(results);
}

function rank(order: string[], name: string): number {
  const index = order.findIndex((prefix) => name.startsWith(prefix));
  return index < 0 ? order.length : index;
}

/** The results as a Markdown table, the form the README keeps. */
export function formatTable(results: BenchResult[]): string {
  const rows = results.map((r) => [
    r.name,
    `${r.value} ${r.unit}`,
    r.baseline === null ? '—' : `${r.baselineValue} ${r.unit} (${r.baseline})`,
    r.ratio === null ? '—' : `${r.ratio}×`,
    r.goal,
    r.met ? 'yes' : 'NO',
  ]);
  const header = ['measure', 'value', 'baseline', 'ratio', 'goal', 'met'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

/** The `q` quantile (0..1) of `values`, nearest rank. */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index]!;
}

export const median = (values: number[]): number => quantile(values, 0.5);

/**
 * Times each of `runs` `rounds` times, one after another in turn, so that a busy moment of a
 * shared machine weighs on the measure and its baseline alike. Returns milliseconds per run.
 */
export async function interleave(
  rounds: number,
  runs: Record<string, () => unknown>,
): Promise<Record<string, number[]>> {
  const names = Object.keys(runs);
  const times: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round += 1) {
    for (const name of names) {
      const start = performance.now();
      await runs[name]!();
      times[name]!.push(performance.now() - start);
    }
  }
  return times;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
