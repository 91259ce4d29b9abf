// Benchmark of the event-driven service over loopback NATS: event-to-forecast latency (p50,
// p99; one event in flight at a time, deterministic projection), sustained ingest with
// coalescing (events per second until every forecast is out), and the service's peak memory
// under that burst (VmHWM of its process). Starts its own nats-server on a free port and runs
// `plancast serve --nats` as a child process, as a deployment would. Prints figures; asserts
// nothing. Shell. Run: npm run bench:nats -- [--latency N] [--ingest N] [--scenarios K]
import { spawn } from "node:child_process"
import { readFileSync } from "node:fs"
import { performance } from "node:perf_hooks"
import { connect } from "@nats-io/transport-node"
import { jetstream, jetstreamManager, type PubAck } from "@nats-io/jetstream"
import { NatsServer } from "../test/support/nats-server.ts"
import { numberArg } from "./args.ts"

const LATENCY_EVENTS = numberArg("latency", 1000)
const INGEST_EVENTS = numberArg("ingest", 20_000)
const SCENARIOS = numberArg("scenarios", 100)
const BASE = "scenarios/duji-2024/baseline.yaml"
const INDICATORS = ["fai", "retail_sales", "trade", "industry_va", "fiscal_revenue"]

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!
}
const statusKb = (pid: number, field: string): number => {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, "utf8"))
  return m ? Number(m[1]) : NaN
}

const server = await NatsServer.start()
// BENCH_SERVICE_NODE_ARGS passes node flags to the service (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof")
const nodeArgs = (process.env.BENCH_SERVICE_NODE_ARGS ?? "").split(" ").filter(Boolean)
const service = spawn(process.execPath, [...nodeArgs, "adapters/cli/bin.mjs", "serve", "--nats", server.url, "--base", BASE], { stdio: ["ignore", "ignore", "pipe"] })
let serviceLog = ""
service.stderr!.on("data", (d: Buffer) => (serviceLog += d.toString()))

try {
  const nc = await connect({ servers: server.url })
  const js = jetstream(nc)
  const jsm = await jetstreamManager(nc)
  for (let i = 0; ; i++) {
    try {
      await jsm.streams.info("PLANCAST_EVENTS")
      break
    } catch {
      if (i > 200) throw new Error(`the service did not start: ${serviceLog}`)
      await sleep(100)
    }
  }
  // the service subscribes to its consumer right after creating the stream: give it a moment
  await sleep(500)

  // forecasts by scenario: the waiter for an exact stream sequence, and the last applied count
  const waiters = new Map<number, () => void>()
  const arrived = new Set<number>()
  const applied = new Map<string, number>()
  let forecastCount = 0
  nc.subscribe("plancast.forecasts.>", {
    callback: (_e, m) => {
      forecastCount++
      const f = m.json<{ scenario: string; sequence: number; events: { applied: number } }>()
      applied.set(f.scenario, f.events.applied)
      if (f.scenario.startsWith("lat-")) arrived.add(f.sequence)
      const w = waiters.get(f.sequence)
      if (w) {
        waiters.delete(f.sequence)
        w()
      }
    },
  })
  await nc.flush()

  // 1. latency: one event in flight, from publish to its forecast (spread over scenarios so no log grows long)
  const latencies: number[] = []
  for (let i = 0; i < LATENCY_EVENTS; i++) {
    const scenario = `lat-${i % 50}`
    const event = { id: `lat-${i}`, scenario, type: "shock", indicator: INDICATORS[i % INDICATORS.length], value: ((i % 11) - 5) / 10 }
    const t0 = performance.now()
    let resolveSeen!: () => void
    const seen = new Promise<void>((r) => (resolveSeen = r))
    const ack = await js.publish(`plancast.events.${scenario}`, JSON.stringify(event), { msgID: event.id })
    // the forecast may come in before the publisher's acknowledgement
    if (arrived.has(ack.seq)) resolveSeen()
    else waiters.set(ack.seq, resolveSeen)
    await Promise.race([seen, sleep(5000)])
    latencies.push(performance.now() - t0)
  }
  const rssBefore = statusKb(service.pid!, "VmRSS")

  // 2. sustained ingest: a burst published with up to 1000 acknowledgements outstanding
  const perScenario = new Map<string, number>()
  const forecastsBefore = forecastCount
  const t1 = performance.now()
  const inflight: Promise<PubAck>[] = []
  for (let i = 0; i < INGEST_EVENTS; i++) {
    const scenario = `ingest-${i % SCENARIOS}`
    perScenario.set(scenario, (perScenario.get(scenario) ?? 0) + 1)
    const event = { id: `in-${i}`, scenario, type: "shock", indicator: INDICATORS[i % INDICATORS.length], value: ((i % 7) - 3) / 10 }
    inflight.push(js.publish(`plancast.events.${scenario}`, JSON.stringify(event), { msgID: event.id }))
    if (inflight.length >= 1000) await Promise.all(inflight.splice(0))
  }
  await Promise.all(inflight)
  const published = performance.now() - t1
  const baseApplied = 0
  for (;;) {
    let done = true
    for (const [s, n] of perScenario) if (applied.get(s) !== baseApplied + n) done = false
    if (done) break
    if (performance.now() - t1 > 300_000) throw new Error("ingest did not complete in 5 minutes")
    await sleep(5)
  }
  const elapsed = performance.now() - t1
  const peak = statusKb(service.pid!, "VmHWM")
  const rssAfter = statusKb(service.pid!, "VmRSS")

  const f = (x: number, d = 2) => x.toFixed(d)
  console.log(`event-to-forecast latency over loopback NATS, ${LATENCY_EVENTS} events one at a time, draws 0:`)
  console.log(`  p50 ${f(quantile(latencies, 0.5))} ms   p99 ${f(quantile(latencies, 0.99))} ms   max ${f(Math.max(...latencies))} ms`)
  console.log(`sustained ingest, ${INGEST_EVENTS} events over ${SCENARIOS} scenarios (publisher keeps 1000 acks outstanding):`)
  console.log(`  published in ${f(published / 1000)} s (${f(INGEST_EVENTS / (published / 1000), 0)} events/s stored)`)
  console.log(`  all forecasts out after ${f(elapsed / 1000)} s: ${f(INGEST_EVENTS / (elapsed / 1000), 0)} events/s applied`)
  console.log(`  ${forecastCount - forecastsBefore} forecasts for ${INGEST_EVENTS} events (coalescing: ${f(INGEST_EVENTS / (forecastCount - forecastsBefore), 1)} events per forecast)`)
  console.log(`service memory: rss ${f(rssBefore / 1024, 0)} MB before the burst, ${f(rssAfter / 1024, 0)} MB after, peak (VmHWM) ${f(peak / 1024, 0)} MB`)
  await nc.close()
} finally {
  service.kill("SIGTERM")
  await Promise.race([new Promise((r) => service.once("exit", r)), sleep(5000)])
  service.kill("SIGKILL")
  await server.stop()
}
