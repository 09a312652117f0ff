import { defineConfig } from 'vitest/config';

/**
 * Benchmarks only (`npm run bench`); `npm test` never runs them.
 *
 * Files run one after another so that benches do not compete for the CPU and the disk. The
 * global setup runs the idle measure beside them and, at the end, writes `bench/results.json`.
 */
export default defineConfig({
  test: {
    environment: 'node',
    fileParallelism: false,
    hookTimeout: 120_000,
    globalSetup: ['bench/global-setup.ts'],
    benchmark: {
      include: ['bench/**/*.bench.ts'],
    },
  },
});
