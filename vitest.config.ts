// Test runner settings: one fixed fast-check seed in CI (printed on failure), long timeouts for
// the integration suites that start their own nats-server.
import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/support/setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
