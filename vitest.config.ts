// Test runner settings: one fixed fast-check seed in CI (printed on failure), long timeouts for
// the integration suites that start their own nats-server, and two test files at a time.
// Two projects: the functional core's tests (engine, models, peers) share one module graph per
// worker, since the engine's only module-level state is caches keyed by the objects they
// describe and these tests mock nothing, so the engine and mathjs load once per worker, not
// once per file; the shell's tests
// (processes, servers, browsers, signals) keep a fresh module graph per file.
import { defineConfig } from "vitest/config"

const core = ["test/engine/**/*.test.ts", "test/scenarios/**/*.test.ts", "test/bench/**/*.test.ts"]

export default defineConfig({
  test: {
    setupFiles: ["test/support/setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // vitest's default on a 2-core machine is one file at a time; many suites mostly wait on
    // the processes they start (nats-server, worker processes, Chromium), so two run side by side
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: "core", include: core, isolate: false } },
      { extends: true, test: { name: "shell", include: ["test/**/*.test.ts"], exclude: core } },
    ],
  },
})
