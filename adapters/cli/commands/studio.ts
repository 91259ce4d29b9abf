// `plancast studio [scenario] [--port P]`: the economist's desk, a local web page to change
// a scenario's assumptions and watch every target's probability move (adapters/studio).
// Runs until SIGINT/SIGTERM, which it handles itself. Shell: the options are parsed by the
// command table (configs/running.ts), the server is in adapters/studio.
import { existsSync } from "node:fs"
import { OptionError } from "../../../engine/index.ts"
import { STUDIO_DRAWS, STUDIO_PORT, STUDIO_SCENARIO, type StudioInput } from "../configs/running.ts"
import { UsageError } from "../failure.ts"
import { DEFAULT_SEED } from "./command.ts"

/** The studio's routes on a scenario, under /studio/ of another server (`serve --http`); its draws are `draws`, or the studio's default when 0. */
export const studioRoutes = async (file: string, draws: number, seed: number) => {
  const { StudioSession } = await import("../../studio/session.ts")
  const { studioHandler } = await import("../../studio/server.ts")
  const session = await StudioSession.open(file, { draws: draws || STUDIO_DRAWS, seed })
  return studioHandler(session, "/studio/")
}

/** Runs `plancast studio` on its parsed options; resolves with the exit status. */
export const runStudio = async (args: StudioInput): Promise<number> => {
  const file = args.scenario ?? STUDIO_SCENARIO
  if (args.scenario === undefined && !existsSync(file)) throw new UsageError({ command: "studio", problem: `name a scenario file (no ${STUDIO_SCENARIO} here)` })
  const port = args.port ?? STUDIO_PORT
  const { StudioSession } = await import("../../studio/session.ts")
  const { startStudio } = await import("../../studio/server.ts")
  const session = await StudioSession.open(file, { draws: args.draws ?? STUDIO_DRAWS, seed: args.seed ?? DEFAULT_SEED, dir: args.dir })
  let server
  try {
    server = await startStudio(session, { port, host: args.host })
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
}
