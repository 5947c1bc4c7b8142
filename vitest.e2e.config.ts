import { defineConfig } from "vitest/config";

/**
 * The end-to-end tests: real Chromium (playwright-core) against the demo stack (local oidc-provider
 * authorization server + Vite app + the backend exchange endpoint), all on 127.0.0.1.
 * `npm run test:e2e`. One browser for the run (globalSetup), one stack per file, files in sequence.
 */
export default defineConfig({
  test: {
    name: "e2e",
    environment: "node",
    include: ["test/e2e/**/*.e2e.test.ts"],
    globalSetup: ["test/e2e/browser.ts"],
    fileParallelism: false,
    // Every wait inside a test is bounded (10–15 s); these are the outer bounds.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    teardownTimeout: 15_000,
    restoreMocks: true,
    expect: { poll: { timeout: 10_000, interval: 50 } },
  },
});
