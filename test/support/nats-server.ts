// Test harness: a real nats-server (/usr/sbin/nats-server) with JetStream on a free loopback
// port and its own temporary store, for the integration tests of the NATS adapter and the
// service. Never touches a server started elsewhere (the one on 4222 included): every server
// here is a child process of the test, stopped by its own pid.
// Invariants: `kill()` (SIGKILL) then `start()` restarts on the same port with the same store,
// as a crashed broker coming back; `stop()` removes the store. Shell (processes, files, sockets).
import { spawn, type ChildProcess } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { createConnection, createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"

/** Path of the broker binary; NATS_SERVER_BIN overrides it. */
export const natsServerBin = process.env.NATS_SERVER_BIN ?? "/usr/sbin/nats-server"

/** A free TCP port on 127.0.0.1 (asks the kernel for one, then releases it). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer()
    s.once("error", reject)
    s.listen(0, "127.0.0.1", () => {
      const address = s.address()
      const port = typeof address === "object" && address ? address.port : 0
      s.close(() => resolve(port))
    })
  })

const canConnect = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port })
    socket.once("connect", () => {
      socket.destroy()
      resolve(true)
    })
    socket.once("error", () => resolve(false))
  })

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export interface NatsServerOptions {
  /** Largest message payload the server accepts, in bytes (server default 1 MiB). */
  readonly maxPayload?: number
  /** Extra lines of server configuration. */
  readonly config?: string
  /** Extra command-line arguments of the server (`["--user", "u", "--pass", "p"]`, `["--auth", "t"]`). */
  readonly args?: readonly string[]
}

/** A nats-server child process with JetStream, on 127.0.0.1:`port`, storing in `storeDir`. */
export class NatsServer {
  private process: ChildProcess | undefined
  private log = ""
  readonly port: number
  readonly storeDir: string
  private readonly configFile: string
  private readonly args: readonly string[]
  private constructor(port: number, storeDir: string, configFile: string, args: readonly string[]) {
    this.port = port
    this.storeDir = storeDir
    this.configFile = configFile
    this.args = args
  }

  /** `nats://127.0.0.1:<port>` */
  get url(): string {
    return `nats://127.0.0.1:${this.port}`
  }

  /** The pid of the running server, if any. */
  get pid(): number | undefined {
    return this.process?.pid
  }

  /** The last lines the server wrote (for failure messages). */
  get output(): string {
    return this.log.slice(-4000)
  }

  /** Starts a new server on a free port with a fresh temporary store and waits until it accepts connections. */
  static async start(options: NatsServerOptions = {}): Promise<NatsServer> {
    const dir = mkdtempSync(join(tmpdir(), "plancast-nats-"))
    const configFile = join(dir, "server.conf")
    const lines = [options.maxPayload ? `max_payload: ${options.maxPayload}` : "", options.config ?? ""].filter(Boolean)
    writeFileSync(configFile, lines.join("\n") + "\n")
    const server = new NatsServer(await freePort(), join(dir, "store"), configFile, options.args ?? [])
    await server.start()
    return server
  }

  /** Starts (or restarts, after `kill`) the server process on the same port and store. */
  async start(): Promise<void> {
    if (this.process && this.process.exitCode === null && this.process.signalCode === null) return
    for (let attempt = 0; attempt < 3; attempt++) {
      const child = spawn(
        natsServerBin,
        ["-c", this.configFile, "-a", "127.0.0.1", "-p", String(this.port), "-js", "-sd", this.storeDir, ...this.args],
        { stdio: ["ignore", "pipe", "pipe"] },
      )
      // only this process's output tells whether it is ready (a restart keeps the earlier log)
      const from = this.log.length
      child.stdout?.on("data", (d: Buffer) => (this.log += d.toString()))
      child.stderr?.on("data", (d: Buffer) => (this.log += d.toString()))
      this.process = child
      // a test run that ends abruptly must not leave its broker behind
      const reap = () => child.kill("SIGKILL")
      process.once("exit", reap)
      child.once("exit", () => process.off("exit", reap))
      const deadline = Date.now() + 10_000
      while (Date.now() < deadline) {
        if (child.exitCode !== null) break
        if (await canConnect(this.port)) {
          // JetStream finishes its recovery right after the listener opens
          if (this.log.includes("Server is ready", from) || Date.now() > deadline - 9_000) return
        }
        await sleep(50)
      }
      // the port may still be held by the killed process for a moment
      child.kill("SIGKILL")
      await sleep(300)
    }
    throw new Error(`nats-server did not start on port ${this.port}: ${this.output}`)
  }

  /** SIGKILLs the server (no clean shutdown), keeping its store for a restart. */
  async kill(): Promise<void> {
    const child = this.process
    if (!child || child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise<void>((r) => child.once("exit", () => r()))
    child.kill("SIGKILL")
    await exited
  }

  /** Stops the server (SIGTERM, then SIGKILL after 3 s) and removes its store. */
  async stop(): Promise<void> {
    const child = this.process
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once("exit", () => r()))
      child.kill("SIGTERM")
      const timer = setTimeout(() => child.kill("SIGKILL"), 3000)
      await exited
      clearTimeout(timer)
    }
    rmSync(join(this.storeDir, ".."), { recursive: true, force: true })
  }
}
