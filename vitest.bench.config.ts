import { defineConfig } from 'vitest/config';

/**
 * Benchmarks only (`npm run bench`); `npm test` never runs them.
 *
 * Files run one after another so that benches do not compete for the CPU and the disk.
 */
export default defineConfig({
  test: {
    environment: 'node',
    fileParallelism: false,
    hookTimeout: 120_000,
    benchmark: {
      include: ['bench/**/*.bench.ts'],
    },
  },
});
