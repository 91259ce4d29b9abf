// Test runner settings: one fixed fast-check seed in CI (printed on failure), long timeouts for
// the integration suites that start their own nats-server, and two test files at a time.
import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/support/setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // vitest's default on a 2-core machine is one file at a time; many suites mostly wait on
    // the processes they start (nats-server, worker processes, Chromium), so two run side by side
    maxWorkers: 2,
  },
})
