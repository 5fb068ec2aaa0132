import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two test files at once (the machine's two cores): the suite's wall time is its longest
    // files' (the escalation and invariant properties), not the sum of all. Files isolate by
    // practice id on the shared databases; one that ends connections has its own database.
    maxWorkers: 2,
    // The server logs by default (operations.ts); tests keep quiet.
    env: { CHARTGUARD_LOG_LEVEL: 'silent' },
  },
});
