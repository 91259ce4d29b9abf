// Helpers of the distributed batch tests: worker and client child processes (spawned on the
// Node that runs the tests, on the plancast command, adapters/cli/bin.mjs), their logs, the
// local batch's CSV/NDJSON as reference, and a plain NATS client to look into the streams.
// Test support (shell: processes, sockets). Every process here is a child of the test and is
// stopped by its own pid.
import { spawn, type ChildProcess } from "node:child_process"
import { connect, type NatsConnection } from "@nats-io/transport-node"
import { jetstreamManager, type JetStreamManager } from "@nats-io/jetstream"
import { planBatch, type BatchOptions, type BatchPlan } from "../../../engine/batch/index.ts"
import { batchProjections } from "../../../adapters/batch/local-runner.ts"
import { encoderOf, type BatchFormat } from "../../../adapters/batch/output-format.ts"

export const MAIN = "adapters/cli/bin.mjs"
/** Ack wait of the shared consumer in these tests: a killed worker's job moves on after 1.5 s. */
export const ACK_WAIT_MS = 1500

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Polls `f` every 50 ms until it returns a truthy value, or fails after `ms`. */
export const waitFor = async <T>(what: string, f: () => T | undefined | false | Promise<T | undefined | false>, ms = 30_000): Promise<T> => {
  const until = Date.now() + ms
  for (;;) {
    const v = await f()
    if (v !== undefined && v !== false) return v
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await sleep(50)
  }
}

/** A child process with its standard output and error kept. */
export class Child {
  stdout = ""
  stderr = ""
  readonly exited: Promise<number | null>
  readonly process: ChildProcess
  constructor(process: ChildProcess) {
    this.process = process
    process.stdout?.on("data", (d: Buffer) => (this.stdout += d.toString()))
    process.stderr?.on("data", (d: Buffer) => (this.stderr += d.toString()))
    // "close", not "exit": by then its standard output and error have been read to the end
    this.exited = new Promise((r) => process.once("close", (code) => r(code)))
  }
  get running(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null
  }
  /** SIGKILL: no clean-up, as a machine that dies. */
  async kill(): Promise<void> {
    if (!this.running) return
    this.process.kill("SIGKILL")
    await this.exited
  }
  /** SIGTERM, then SIGKILL after 5 s. */
  async stop(): Promise<void> {
    if (!this.running) return
    this.process.kill("SIGTERM")
    const timer = setTimeout(() => this.process.kill("SIGKILL"), 5000)
    await this.exited
    clearTimeout(timer)
  }
}

const spawnMain = (args: readonly string[]): Child =>
  new Child(spawn(process.execPath, [MAIN, ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NATS_URL: "" } }))

/** Starts `plancast worker` against `url`. */
export const startWorker = (url: string, ...extra: string[]): Child => spawnMain(["worker", "--nats", url, "--ack-wait", String(ACK_WAIT_MS), ...extra])

/** Starts `plancast batch ... --nats url` as a child (for a client that gets killed). */
export const startClient = (url: string, args: readonly string[]): Child => spawnMain(["batch", ...args, "--nats", url])

/** Job tags (`<batch>:<job>`) a worker's log says it took, with their delivery count. */
export const tookJobs = (log: string): { tag: string; delivery: number }[] =>
  [...log.matchAll(/took job (\S+) \(\d+ projections, delivery (\d+)\)/g)].map((m) => ({ tag: m[1]!, delivery: Number(m[2]) }))

/** Job tags a worker's log says it finished. */
export const doneJobs = (log: string): string[] => [...log.matchAll(/job (\S+) done in/g)].map((m) => m[1]!)

/** The local batch's output for these options (in this process, no threads). */
export const localOutput = async (options: BatchOptions, format: BatchFormat = "csv"): Promise<string> => {
  const plan: BatchPlan = planBatch(options)
  const encoder = encoderOf(format)
  let text = encoder.header
  for await (const row of batchProjections(plan, { workers: 0 })) text += encoder.line(row)
  return text
}

/** A plain connection and JetStream manager to look into the streams. */
export const inspect = async (url: string): Promise<{ nc: NatsConnection; jsm: JetStreamManager }> => {
  const nc = await connect({ servers: url })
  return { nc, jsm: await jetstreamManager(nc) }
}

/** A fresh batch id for a test (batch ids also come from the plan; tests reuse plans). */
export const freshBatch = (prefix: string): string => `${prefix}-${process.pid}-${Math.floor(Math.random() * 1e9)}`
