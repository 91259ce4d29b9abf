// End to end over a real nats-server started here (never the one on 4222): `plancast serve
// --nats` as a child process, events in through `plancast publish` and a plain client,
// forecasts and KV out, request/reply on plancast.project with $SRV discovery, the broker
// SIGKILLed and restarted with its store mid-stream, the engine SIGKILLed and restarted
// mid-stream, and a 1.5 MB payload. Each time: no event lost, none applied twice, the final
// forecast equals the offline projection of the fold.
import { spawn, spawnSync, type ChildProcess } from "node:child_process"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { jetstream, jetstreamManager } from "@nats-io/jetstream"
import { Kvm } from "@nats-io/kv"
import { ServiceError, Svcm } from "@nats-io/services"
import { NatsServer } from "../../../support/nats-server.ts"
import { annuals, appliedOf, BASE_FILE, duji, observe, offline, shock, sleep, waitFor } from "../../service/harness.ts"

let server: NatsServer
let engine: ChildProcess | undefined
let engineLog = ""
let watch: Awaited<ReturnType<typeof observe>>
const tmp = mkdtempSync(join(tmpdir(), "plancast-nats-test-"))

const startEngine = () => {
  const child = spawn(process.execPath, ["adapters/cli/bin.mjs", "serve", "--nats", server.url, "--base", BASE_FILE], {
    stdio: ["ignore", "ignore", "pipe"],
    detached: true,
  })
  child.stderr!.on("data", (d: Buffer) => (engineLog += d.toString()))
  engine = child
  return child
}
const killEngine = async () => {
  const child = engine
  if (!child || child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((r) => child.once("exit", r))
  try {
    process.kill(-child.pid!, "SIGKILL")
  } catch {
    child.kill("SIGKILL")
  }
  await exited
}

/** Publishes with retries (the broker may be restarting). */
const publish = async (event: { id: string; scenario: string }) => {
  for (let i = 0; ; i++) {
    try {
      return await jetstream(watch.nc).publish(`plancast.events.${event.scenario}`, JSON.stringify(event), { msgID: event.id, timeout: 2000 })
    } catch (e) {
      if (i > 40) throw e
      await sleep(250)
    }
  }
}

beforeAll(async () => {
  server = await NatsServer.start({ maxPayload: 4 * 1024 * 1024 })
  watch = await observe(server.url)
  startEngine()
  const jsm = await jetstreamManager(watch.nc)
  await waitFor("the stream PLANCAST_EVENTS", () => jsm.streams.info("PLANCAST_EVENTS").then(() => true, () => false), 30_000)
})

afterAll(async () => {
  await killEngine()
  await watch?.close().catch(() => {})
  await server?.stop()
})

describe("plancast serve --nats", () => {
  it("publish reports stored and duplicate lines; forecasts, KV and the offline projection agree", async () => {
    const base = await duji()
    const sc = "e2e"
    const events = [shock("a1", sc, "fai", -5), shock("a2", sc, "retail_sales", 1), shock("a1", sc, "fai", -5), shock("a3", sc, "trade", -3)]
    const file = join(tmp, "events.ndjson")
    writeFileSync(file, events.map((e) => JSON.stringify(e)).join("\n") + "\n")
    const r = spawnSync(process.execPath, ["adapters/cli/bin.mjs", "publish", file, "--nats", server.url], { encoding: "utf8" })
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/:1: a1 -> plancast.events.e2e: stored at sequence \d+/)
    expect(r.stdout).toMatch(/:3: a1 -> plancast.events.e2e: duplicate/)
    const expected = offline(base, sc, events)
    const f = await waitFor("forecast with 3 events", () => (appliedOf(watch.last(sc)) === expected.events.applied ? watch.last(sc) : undefined))
    expect(annuals(f as never)).toEqual(annuals(expected))
    const kv = await new Kvm(watch.nc).open("plancast-forecasts")
    const latest = await waitFor("KV value", async () => {
      const v = await kv.get(sc)
      return v && appliedOf(v.json()) === expected.events.applied ? v.json<Record<string, unknown>>() : undefined
    })
    expect(latest.sequence).toBe(f.sequence)
  })

  it("refuses a whole file with an invalid line, publishing nothing (exit 2)", async () => {
    const file = join(tmp, "bad.ndjson")
    writeFileSync(file, [JSON.stringify(shock("p1", "pub", "fai", 1)), "{oops", JSON.stringify({ id: "p2", type: "shock", indicator: "fai", value: 1 })].join("\n"))
    const r = spawnSync(process.execPath, ["adapters/cli/bin.mjs", "publish", file, "--nats", server.url], { encoding: "utf8" })
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/bad.ndjson:2: /)
    expect(r.stderr).toMatch(/bad.ndjson:3: .*scenario/)
    await sleep(300)
    expect(watch.last("pub")).toBeUndefined()
  })

  it("answers plancast.project requests and is discoverable with $SRV", async () => {
    const base = await duji()
    const events = [shock("q1", "req", "fai", -2)]
    const reply = await watch.nc.request("plancast.project", JSON.stringify({ scenario: "req", events }), { timeout: 10_000 })
    expect(ServiceError.isServiceError(reply)).toBe(false)
    expect(annuals(reply.json())).toEqual(annuals(offline(base, "req", events)))
    const file = await watch.nc.request("plancast.project", "name: alt\nmodel: ./model.yaml\nevents:\n  - { id: s1, type: shock, indicator: gdp, value: 1 }\n", { timeout: 10_000 })
    expect(ServiceError.isServiceError(file)).toBe(false)
    expect(file.json<{ scenario: string }>().scenario).toBe("alt")
    const bad = await watch.nc.request("plancast.project", JSON.stringify({ events: [shock("q2", "req", "nope", 1)] }), { timeout: 10_000 })
    expect(ServiceError.toServiceError(bad)?.code).toBe(400)
    expect(ServiceError.toServiceError(bad)?.message).toMatch(/nope/)
    const outside = await watch.nc.request("plancast.project", JSON.stringify({ name: "x", model: "../../../etc/passwd" }), { timeout: 10_000 })
    expect(ServiceError.toServiceError(outside)?.code).toBe(400)
    const pings = await new Svcm(watch.nc).client().ping("plancast")
    const found = []
    for await (const p of pings) found.push(p)
    expect(found.map((p) => p.name)).toContain("plancast")
    const infos = await new Svcm(watch.nc).client().info("plancast")
    for await (const i of infos) expect(i.endpoints.map((e) => e.subject)).toContain("plancast.project")
  })

  it("refuses a 1.5 MB payload with a reason and goes on", async () => {
    const base = await duji()
    const sc = "huge"
    const huge = JSON.stringify({ ...shock("big", sc, "fai", 1), note: "x".repeat(1_500_000) })
    await jetstream(watch.nc).publish(`plancast.events.${sc}`, huge, { msgID: "big" })
    await publish(shock("after-big", sc, "fai", 1))
    const r = await waitFor("the rejection", () => watch.rejections.find((x) => x.scenario === sc))
    expect(r.reasons.join(" ")).toMatch(/exceeds the limit/)
    expect(r.truncated).toBe(true)
    expect(r.size).toBeGreaterThan(1_500_000)
    const f = await waitFor("the later event", () => (appliedOf(watch.last(sc)) === offline(base, sc, [shock("after-big", sc, "fai", 1)]).events.applied ? watch.last(sc) : undefined))
    expect((f.events as { rejected: number }).rejected).toBe(1)
  })

  it("survives the broker SIGKILLed and restarted with its store mid-stream: nothing lost, nothing twice", async () => {
    const base = await duji()
    const sc = "broker-kill"
    const indicators = ["fai", "retail_sales", "trade", "industry_va"]
    const events = Array.from({ length: 40 }, (_, i) => shock(`bk${i}`, sc, indicators[i % 4]!, ((i % 7) - 3) / 10))
    for (const e of events.slice(0, 15)) await publish(e)
    await server.kill()
    await sleep(500)
    await server.start()
    for (const e of events.slice(15)) await publish(e)
    const expected = offline(base, sc, events)
    const f = await waitFor("all 40 events applied", () => (appliedOf(watch.last(sc)) === expected.events.applied ? watch.last(sc) : undefined), 45_000)
    expect(annuals(f as never)).toEqual(annuals(expected))
    await sleep(500)
    expect(appliedOf(watch.last(sc))).toBe(expected.events.applied)
  })

  it("survives the engine SIGKILLed mid-stream and restarted: it rebuilds from the stream, nothing lost, nothing twice", async () => {
    const base = await duji()
    const sc = "engine-kill"
    const events = Array.from({ length: 300 }, (_, i) => shock(`ek${i}`, sc, i % 2 ? "fai" : "trade", ((i % 5) - 2) / 10))
    const sending = (async () => {
      for (const e of events.slice(0, 150)) await publish(e)
    })()
    await waitFor("some events applied", () => (appliedOf(watch.last(sc)) ?? 0) > 20)
    await killEngine()
    await sending
    // the rest arrives while the engine is down
    for (const e of events.slice(150)) await publish(e)
    const before = watch.forecasts.length
    startEngine()
    const expected = offline(base, sc, events)
    const f = await waitFor(
      "all 300 applied after the restart",
      () => watch.forecasts.slice(before).find((x) => x.scenario === sc && appliedOf(x) === expected.events.applied),
      90_000,
    ).catch((e) => {
      const after = watch.forecasts.slice(before).map((x) => `${x.scenario}:${appliedOf(x)}@${x.sequence}`)
      throw new Error(`${e.message}; expected ${expected.events.applied}; forecasts since: ${after.join(" ")}; engine: ${engineLog.slice(-1500)}`)
    })
    expect(annuals(f as never)).toEqual(annuals(expected))
    // the other scenarios were rebuilt too, to the same state
    await waitFor("e2e rebuilt", () => watch.forecasts.slice(before).some((x) => x.scenario === "e2e"))
    const e2e = watch.forecasts.slice(before).filter((x) => x.scenario === "e2e").at(-1)!
    expect(appliedOf(e2e)).toBe(offline(base, "e2e", [shock("a1", "e2e", "fai", -5), shock("a2", "e2e", "retail_sales", 1), shock("a3", "e2e", "trade", -3)]).events.applied)
    await sleep(1000)
    expect(appliedOf(watch.last(sc))).toBe(expected.events.applied)
    const jsm = await jetstreamManager(watch.nc)
    // what the killed engine held unacknowledged comes back after the ack wait (10 s), is recognised and acknowledged
    await waitFor(
      "every message acknowledged",
      async () => {
        const info = await jsm.consumers.info("PLANCAST_EVENTS", "plancast")
        return info.num_ack_pending === 0 && info.num_pending === 0
      },
      30_000,
    )
    expect(appliedOf(watch.last(sc))).toBe(expected.events.applied)
  }, 180_000)
})
