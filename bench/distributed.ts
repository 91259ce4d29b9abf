// Benchmark of distributed batches (`plancast batch ... --nats` with `plancast worker`
// processes) on this machine: throughput with 1 and then 2 worker processes (the scaling),
// and the overhead of the bus against a local batch of the same size with the same
// parallelism (one worker thread against one worker process). Starts its own nats-server on
// a free port (never 4222) and the workers as child processes, as a deployment would; first
// ASSERTS that every distributed run gives the local batch's output byte for byte, then prints
// figures (and one JSON line with --json). Shell: processes, sockets.
//
//   npm run bench:distributed -- [--draws 10000] [--points 21] [--chunk N] [--runs 3] [--json]
//
// The overhead figure compares like with like: one warm worker process (one compute thread)
// against the local batch computing in one warm process (--workers 0); every figure is the
// best of --runs runs. The machine's load average is printed: on a shared machine the
// scaling figure means little unless it is low.
import { spawn, type ChildProcess } from "node:child_process"
import { performance } from "node:perf_hooks"
import { cpus, loadavg } from "node:os"
import { planBatch, jobCount, type BatchPlan } from "../engine/batch/index.ts"
import { batchProjections } from "../adapters/batch/local-runner.ts"
import { encoderOf } from "../adapters/batch/output-format.ts"
import { distributedProjections } from "../adapters/batch/nats-client.ts"
import { NatsServer } from "../test/support/nats-server.ts"
import { numberArg } from "./args.ts"

const argv = process.argv.slice(2)
const json = argv.includes("--json")
const DRAWS = numberArg("draws", 10_000)
const POINTS = numberArg("points", 21) // grid points per scenario (fai shocks from -POINTS/2 pp, step 0.5)
const CHUNK = numberArg("chunk", 0, { min: 0 }) // 0: the client's default
const RUNS = numberArg("runs", 3) // each figure is the best of this many runs
const SCENARIOS = ["scenarios/duji-2024/fai-slump.yaml", "scenarios/duji-2024/export-shock.yaml"]

const plan: BatchPlan = planBatch({
  scenarios: SCENARIOS,
  grids: [`fai=${-(POINTS - 1) / 4}:${(POINTS - 1) / 4}:0.5`],
  draws: DRAWS,
  seed: 11,
})
const total = jobCount(plan)
const csv = encoderOf("csv")

/** The local batch: end to end (thread start-up included), and from the moment its threads are ready (what a warm worker is compared with). */
const timeLocal = async (workers: number): Promise<{ seconds: number; warm: number; text: string }> => {
  const t0 = performance.now()
  let ready = t0
  let text = csv.header
  for await (const row of batchProjections(plan, { workers, onReady: () => (ready = performance.now()) })) text += csv.line(row)
  const t1 = performance.now()
  return { seconds: (t1 - t0) / 1000, warm: (t1 - ready) / 1000, text }
}

let runs = 0
const timeBus = async (url: string): Promise<{ seconds: number; text: string }> => {
  const t0 = performance.now()
  let text = csv.header
  const batch = `bench-${process.pid}-${runs++}`
  for await (const row of distributedProjections(plan, { nats: url, batch, ...(CHUNK > 0 ? { chunkSize: CHUNK } : {}) })) text += csv.line(row)
  return { seconds: (performance.now() - t0) / 1000, text }
}

const best = async <T extends { seconds: number }>(run: () => Promise<T>): Promise<T> => {
  let out = await run()
  for (let i = 1; i < RUNS; i++) {
    const r = await run()
    if (r.seconds < out.seconds) out = r
  }
  return out
}

const startWorker = (url: string): { child: ChildProcess; ready: Promise<void> } => {
  const child = spawn(process.execPath, ["adapters/cli/bin.mjs", "worker", "--nats", url], { stdio: ["ignore", "ignore", "pipe"] })
  let log = ""
  const ready = new Promise<void>((resolve, reject) => {
    child.stderr!.on("data", (d: Buffer) => {
      log += d.toString()
      if (log.includes("taking jobs")) resolve()
    })
    child.once("exit", (code) => reject(new Error(`worker exited (${code}): ${log}`)))
  })
  return { child, ready }
}

const stopWorker = async (child: ChildProcess): Promise<void> => {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((r) => child.once("exit", r))
  child.kill("SIGTERM")
  await exited
}

const server = await NatsServer.start()
const workers: ChildProcess[] = []
try {
  const load0 = loadavg()[0]!
  // warm-up of this process (engine import, compile) before any timing
  await timeLocal(0)
  const local0 = await best(() => timeLocal(0))
  const local = await best(() => timeLocal(1))
  const local2 = await best(() => timeLocal(2))

  const w1 = startWorker(server.url)
  workers.push(w1.child)
  await w1.ready
  await timeBus(server.url) // warms the worker's compute thread (imports, compile, engine)
  const bus1 = await best(() => timeBus(server.url))

  const w2 = startWorker(server.url)
  workers.push(w2.child)
  await w2.ready
  await timeBus(server.url)
  const bus2 = await best(() => timeBus(server.url))
  const load1 = loadavg()[0]!

  for (const [name, run] of [["1 worker", bus1], ["2 workers", bus2], ["local, 1 thread", local], ["local, 2 threads", local2]] as const)
    if (run.text !== local0.text) throw new Error(`${name}: the output differs from the local batch's`)

  const rate = (s: number): number => total / s
  const figures = {
    projections: total,
    draws: DRAWS,
    cores: cpus().length,
    local_in_process_s: local0.seconds,
    local_1_thread_s: local.seconds,
    local_1_thread_warm_s: local.warm,
    local_2_threads_s: local2.seconds,
    local_2_threads_warm_s: local2.warm,
    bus_1_worker_s: bus1.seconds,
    bus_2_workers_s: bus2.seconds,
    bus_1_worker_per_s: rate(bus1.seconds),
    bus_2_workers_per_s: rate(bus2.seconds),
    scaling_2_over_1: bus1.seconds / bus2.seconds,
    overhead_bus_1_over_local_in_process: bus1.seconds / local0.seconds,
    overhead_bus_2_over_local_2_threads_warm: bus2.seconds / local2.warm,
    load_average: [load0, load1],
  }
  const f = (x: number): string => x.toFixed(2)
  const line = (name: string, s: number): void => console.log(`  ${name.padEnd(40)}${f(s).padStart(7)} s ${f(rate(s)).padStart(8)} projections/s`)
  console.log(`distributed batch: ${total} projections (${SCENARIOS.length} scenarios x ${plan.grid.size} points), ${DRAWS} draws each, ${cpus().length} cores`)
  console.log(`  outputs: every distributed run equals the local batch byte for byte`)
  line("local, in process (no thread)", local0.seconds)
  line("local, 1 thread, end to end", local.seconds)
  line("local, 1 thread, once the thread is up", local.warm)
  line("local, 2 threads, end to end", local2.seconds)
  line("local, 2 threads, once the threads are up", local2.warm)
  line("bus, 1 worker process (warm)", bus1.seconds)
  line("bus, 2 worker processes (warm)", bus2.seconds)
  console.log(`  scaling 1 -> 2 worker processes: x${f(figures.scaling_2_over_1)}`)
  console.log(`  bus overhead: 1 warm worker process / local in one warm process: x${f(figures.overhead_bus_1_over_local_in_process)}`)
  console.log(`                2 warm worker processes / local with 2 warm threads: x${f(figures.overhead_bus_2_over_local_2_threads_warm)}`)
  console.log(`  load average (1 min) before / after: ${f(load0)} / ${f(load1)} on ${cpus().length} cores (best of ${RUNS} runs each)`)
  if (json) console.log(JSON.stringify(figures))
} finally {
  await Promise.all(workers.map(stopWorker))
  await server.stop()
}
