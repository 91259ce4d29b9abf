// A broker that is not there (nats://127.0.0.1:1: nothing listens, every attempt is refused):
// `publish`, `batch --nats` and `worker --connect-timeout` give up after their connect timeout
// with the address (redacted) and the cause, exit status 1; `serve` and `worker` say they never
// connected and keep retrying until a signal, which stops them at once with status 0, also in
// the middle of a dial to an address that accepts and then stays silent. The
// commands whose exit status or signal handling is the subject run as processes; the others in
// process. Nothing here measures time: timeouts are only bounds.
import { spawn } from "node:child_process"
import { mkdtempSync, writeFileSync } from "node:fs"
import { createServer, type Socket } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { planBatch } from "../../../../engine/index.ts"
import { distributedProjections } from "../../../../adapters/batch/nats-client.ts"
import { runWorker } from "../../../../adapters/batch/nats-worker.ts"
import { BASE_FILE, shock } from "../../service/harness.ts"

const PASSWORD = "never-shown-7d1f"
const DOWN = `nats://bob:${PASSWORD}@127.0.0.1:1`
const SHOWN = "nats://bob:***@127.0.0.1:1"

const tmp = mkdtempSync(join(tmpdir(), "plancast-startup-"))
const events = join(tmp, "events.ndjson")
writeFileSync(events, JSON.stringify(shock("s1", "startup", "fai", -1)) + "\n")

/** Runs the CLI; `onErr` sees standard error as it grows and may signal the process. Resolves with its end. */
const cli = (args: readonly string[], onErr?: (text: string, child: ReturnType<typeof spawn>) => void) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ["adapters/cli/bin.mjs", ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NATS_URL: "", NATS_USER: "", NATS_PASSWORD: "", NATS_TOKEN: "", NATS_CREDS: "" } })
    let stdout = ""
    let stderr = ""
    child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()))
    child.stderr!.on("data", (d: Buffer) => {
      stderr += d.toString()
      onErr?.(stderr, child)
    })
    child.once("error", reject)
    child.once("close", (code, signal) => resolve({ code, signal, stdout, stderr }))
  })

describe("a broker that is not there", () => {
  it("makes publish give up after its default connect timeout, naming the address and the cause", async () => {
    const r = await cli(["publish", events, "--nats", DOWN])
    expect(r.code).toBe(1)
    expect(r.stderr).toBe(`plancast publish: NATS: connect to ${SHOWN} within 5 s (--connect-timeout) failed: connection refused\n`)
    expect(r.stdout).toBe("")
  }, 90_000)

  it("makes batch --nats give up after --connect-timeout", async () => {
    const plan = planBatch({ scenarios: [BASE_FILE], grids: ["fai=-1:1:1"], draws: 0, seed: 1 })
    const rows = distributedProjections(plan, { nats: DOWN, natsFlags: { "connect-timeout": "0.5" } })
    await expect(rows.next()).rejects.toMatchObject({ _tag: "NatsError", message: `NATS: connect to ${SHOWN} within 0.5 s (--connect-timeout) failed: connection refused` })
  }, 60_000)

  it("makes worker --connect-timeout give up; without it the worker says it never connected and a stop ends it", async () => {
    const lines: string[] = []
    await expect(runWorker({ nats: DOWN, natsFlags: { "connect-timeout": "0.5" }, handleSignals: false, log: (l) => void lines.push(l) })).rejects.toMatchObject({ _tag: "NatsError" })
    const stop = new AbortController()
    const status = await runWorker({
      nats: DOWN,
      handleSignals: false,
      signal: stop.signal,
      log: (l) => {
        lines.push(l)
        if (l.includes("never connected")) stop.abort()
      },
    })
    expect(status).toBe(0)
    expect(lines.find((l) => l.includes("never connected"))).toMatch(new RegExp(`^NATS: never connected to ${SHOWN.replaceAll("*", "\\*")} \\(connection refused\\); retrying`))
    expect(lines.at(-1)).toMatch(/stopped before it connected$/)
    expect(lines.filter((l) => l.includes(PASSWORD))).toEqual([])
  }, 60_000)

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`leaves serve retrying and saying so; ${signal} stops it cleanly`, async () => {
      let sent = false
      const r = await cli(["serve", "--nats", DOWN, "--base", BASE_FILE], (text, child) => {
        if (!sent && text.includes("never connected")) {
          sent = true
          child.kill(signal)
        }
      })
      expect(sent).toBe(true)
      expect({ code: r.code, signal: r.signal }).toEqual({ code: 0, signal: null })
      expect(r.stderr).toMatch(new RegExp(`^plancast serve: NATS: never connected to ${SHOWN.replaceAll("*", "\\*")} \\(connection refused\\); retrying, with backoff up to 2 s`, "m"))
      expect(r.stderr).not.toContain(PASSWORD)
    }, 90_000)
  }

  it("lets SIGTERM stop serve in the middle of a dial to an address that accepts and never answers", async () => {
    // a TCP listener that never sends the NATS INFO line: nats.js keeps such a socket open even past its handshake timeout
    const held: Socket[] = []
    const silent = createServer((socket) => void held.push(socket))
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", () => r()))
    const port = (silent.address() as { port: number }).port
    try {
      let sent = false
      const r = await cli(["serve", "--nats", `nats://127.0.0.1:${port}`, "--base", BASE_FILE], (text, child) => {
        if (!sent && text.includes("NATS: connecting to")) {
          sent = true
          // the dial is under way once the listener has its connection
          const poll = setInterval(() => {
            if (held.length > 0) {
              clearInterval(poll)
              child.kill("SIGTERM")
            }
          }, 20)
        }
      })
      expect(held.length).toBeGreaterThan(0)
      expect({ code: r.code, signal: r.signal }).toEqual({ code: 0, signal: null })
    } finally {
      for (const s of held) s.destroy()
      await new Promise((r) => silent.close(r))
    }
  }, 90_000)
})
