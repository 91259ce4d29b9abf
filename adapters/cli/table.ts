// The command table: the `plancast` command and its subcommands as effect/cli Commands, built
// from the declarations in configs/, each handler a dynamic import of the command's
// implementation in commands/ (so a command's dependencies never slow or break another, and
// start-up loads only the declarations). Shell.
import { Command } from "effect/cli"
import type * as Effect from "effect/Effect"
import * as A from "./configs/analysis.ts"
import * as R from "./configs/running.ts"
import { handle, type ExitStatus, type Program, type SignalExit, type Signals } from "./handler.ts"

type Config = Command.Command.Config
type Infer<C extends Config> = Command.Command.Config.Infer<C>

/** A subcommand from its declaration and the implementation it runs (loaded when it runs). */
const command = <const Name extends string, C extends Config>(
  name: Name,
  declared: A.Declared<C>,
  run: (input: Infer<C>) => Promise<number | Program>,
  signals?: Signals,
): Command.Command<Name, Infer<C>, {}, ExitStatus, SignalExit> =>
  Command.make(name, declared.config, (input: Infer<C>): Effect.Effect<void, ExitStatus, SignalExit> => handle(name, () => run(input), signals)).pipe(
    Command.withDescription(declared.description),
    Command.withShortDescription(declared.summary),
  )

// the studio stops itself on SIGINT/SIGTERM (its server): "own"
export const subcommands = [
  command("project", A.project, async (input) => (await import("./commands/project.ts")).runProject(input)),
  command("compare", A.compare, async (input) => (await import("./commands/compare.ts")).runCompare(input)),
  command("explain", A.explain, async (input) => (await import("./commands/explain.ts")).runExplain(input)),
  command("seek", A.seek, async (input) => (await import("./commands/seek.ts")).runSeek(input)),
  command("renorm", A.renorm, async (input) => (await import("./commands/renorm.ts")).runRenorm(input)),
  command("multipliers", A.multipliers, async (input) => (await import("./commands/multipliers.ts")).runMultipliers(input)),
  command("calibrate", A.calibrate, async (input) => (await import("./commands/calibrate.ts")).runCalibrate(input)),
  command("backtest", A.backtest, async (input) => (await import("./commands/backtest.ts")).runBacktest(input)),
  command("estimate", A.estimate, async (input) => (await import("./commands/estimate.ts")).runEstimate(input)),
  command("batch", R.batch, async (input) => (await import("./commands/external.ts")).runBatchCommand(input)),
  command("validate", R.validate, async (input) => (await import("./commands/validate.ts")).runValidate(input)),
  command("serve", R.serve, async (input) => (await import("./commands/external.ts")).runServeCommand(input)),
  command("publish", R.publish, async (input) => (await import("./commands/external.ts")).runPublishCommand(input)),
  command("worker", R.worker, async (input) => (await import("./commands/worker.ts")).runWorkerCommand(input)),
  command("studio", R.studio, async (input) => (await import("./commands/studio.ts")).runStudio(input), "own"),
  command("start", R.start, async (input) => (await import("./commands/start.ts")).runStart(input)),
] as const

/** `plancast`: the subcommands; run without one, it shows the overview (exit 2). */
export const plancast = Command.make("plancast").pipe(
  Command.withDescription(
    "Event-driven scenario simulation of a development plan's targets.\n\nExit status: 0 success; 2 invalid input (usage, file, model, event, option); 1 anything else.\n\nSet PLANCAST_DEBUG=1 to see the stack of an unexpected failure.",
  ),
  Command.withSubcommands(subcommands),
)
