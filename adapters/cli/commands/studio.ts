// `plancast studio [scenario] [--port P]`: the economist's desk, a local web page to change
// a scenario's assumptions and watch every target's probability move (adapters/studio).
// Runs until SIGINT/SIGTERM. Shell: argument parsing here, the server in adapters/studio.
import { existsSync } from "node:fs"
import { OptionError } from "../../../engine/index.ts"
import { optionNumber, optionString, parseArgs, UsageError } from "../args.ts"
import { DEFAULT_SEED, print, runOptions, type Command } from "./command.ts"

/** The studio's default Monte Carlo draws: enough for stable probabilities, fast enough to follow a slider. */
export const STUDIO_DRAWS = 10_000
const DEFAULT_PORT = 7370
const DEFAULT_SCENARIO = "scenarios/duji-2024/baseline.yaml"

const spec = {
  command: "studio",
  options: { ...runOptions, port: { kind: "string" }, host: { kind: "string" }, dir: { kind: "string" } },
  positionals: { min: 0, max: 1, name: "the scenario file (plancast studio [scenario])" },
} as const

const portOf = (value: string | undefined): number => {
  if (value === undefined) return DEFAULT_PORT
  const port = Number(value)
  if (!/^\d+$/.test(value) || port > 65535) throw new OptionError({ option: "--port", problem: `must be a port number 0..65535, got ${JSON.stringify(value)}` })
  return port
}

/** The studio's routes on a scenario, under /studio/ of another server (`serve --http`); its draws are `draws`, or the studio's default when 0. */
export const studioRoutes = async (file: string, draws: number, seed: number) => {
  const { StudioSession } = await import("../../studio/session.ts")
  const { studioHandler } = await import("../../studio/server.ts")
  const session = await StudioSession.open(file, { draws: draws || STUDIO_DRAWS, seed })
  return studioHandler(session, "/studio/")
}

export const studioCommand: Command = {
  name: "studio",
  help: `usage: plancast studio [scenario] [--port P] [--draws N] [--seed S] [--dir DIR] [--host H]

Serves the studio on http://127.0.0.1:P/ (default port ${DEFAULT_PORT}): pick a scenario, see every
indicator's fan chart with its target, P(target), the growth still required and the joint
probability, and change assumptions directly: a slider per uncertain parameter and exogenous
series, shocks by variable and period, measures on or off, a data release typed in. Each
change is a scenario event; "Save as scenario" writes them as a scenario file (base: the
scenario picked) that project, compare and explain read like any other.

  scenario     the scenario to start from (default ${DEFAULT_SCENARIO})
  --port P     port (default ${DEFAULT_PORT}; 0 picks a free one)
  --draws N    Monte Carlo draws per projection (default ${STUDIO_DRAWS.toLocaleString("en-US")})
  --seed S     seed (default 1)
  --dir DIR    the folder whose scenario files are listed and saved into (default: the scenario's)
  --host H     address to listen on (default 127.0.0.1: this machine only)
`,
  run: async (argv) => {
    const args = parseArgs(spec, argv)
    if (args.help) return print(studioCommand.help), 0
    const file = args.positionals[0] ?? DEFAULT_SCENARIO
    if (args.positionals[0] === undefined && !existsSync(file)) throw new UsageError({ command: "studio", problem: `name a scenario file (no ${DEFAULT_SCENARIO} here)` })
    const port = portOf(optionString(args, "port"))
    const { StudioSession } = await import("../../studio/session.ts")
    const { startStudio } = await import("../../studio/server.ts")
    const session = await StudioSession.open(file, { draws: optionNumber(args, "draws") ?? STUDIO_DRAWS, seed: optionNumber(args, "seed") ?? DEFAULT_SEED, dir: optionString(args, "dir") })
    let server
    try {
      server = await startStudio(session, { port, host: optionString(args, "host") })
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      if (code === "EADDRINUSE" || code === "EACCES" || code === "EADDRNOTAVAIL") throw new OptionError({ option: "--port", problem: `cannot listen on port ${port} (${code})` })
      throw e
    }
    process.stderr.write(`plancast studio: ${session.picked.name} on ${server.url} (Ctrl-C to stop)\n`)
    await new Promise<void>((done) => {
      const stop = () => done()
      process.once("SIGINT", stop)
      process.once("SIGTERM", stop)
    })
    await server.close()
    return 0
  },
}
