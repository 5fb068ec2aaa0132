import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // The server logs by default (operations.ts); tests keep quiet.
    env: { CHARTGUARD_LOG_LEVEL: 'silent' },
  },
});
