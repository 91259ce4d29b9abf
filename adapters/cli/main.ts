// The `plancast` command line on Effect's CLI module (effect/cli): parses the arguments against
// the command table (table.ts: typed flags, generated help, each command's implementation
// loaded only when it runs), shows help and usage errors, and runs the command. Two entries:
// `program(argv)`, the Effect bin.mjs runs with NodeRuntime.runMain (signals interrupt it; its
// failure carries the exit status), and `main(argv)`, the same run in this process resolving
// with the exit status (tests, test/adapters/cli/run.ts).
// Exit status: 0 success; 2 invalid input (a usage error: unknown command or option, a missing
// or bad value; or a file, model, event or option the command refuses, failure.ts); 1 anything
// else. `--version` (`-V`) prints the package's version; a misspelt command or option gets the
// closest names. Shell.
import { readFileSync } from "node:fs"
import { CliConfig, CliError, CliOutput, Command, Flag, GlobalFlag } from "effect/cli"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Runtime from "effect/Runtime"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as NodeServices from "@effect/platform-node/NodeServices"
import { helpText } from "./help.ts"
import { ExitStatus, SignalExit } from "./handler.ts"
import { plancast } from "./table.ts"

/** `--help` / `-h`: the generated help of the command (the CLI module's own action, our words). */
const Help = GlobalFlag.Action({
  flag: Flag.Boolean("help").pipe(Flag.withAlias("h"), Flag.withDescription("this help"), Flag.withDefault(false)),
  run: GlobalFlag.Help.run,
})

/** `--version` / `-V`: the package's version on standard output. */
const Version = GlobalFlag.Action({
  flag: Flag.Boolean("version").pipe(Flag.withAlias("V"), Flag.withDescription("the version of plancast"), Flag.withDefault(false)),
  run: (_, { version }) => Effect.sync(() => void process.stdout.write(`plancast ${version}\n`)),
})

const HELP_POINTER = (path: readonly string[]) => `run "${[...path, "--help"].join(" ")}" for its usage`

const suggestion = (names: readonly string[], quote: (n: string) => string): string =>
  names.length === 0 ? "" : ` (did you mean ${names.slice(0, 2).map(quote).join(" or ")}?)`

/** One usage error as the command line words it, from the error's fields. */
const problem = (e: CliError.NonShowHelpErrors): string => {
  switch (e._tag) {
    case "UnrecognizedOption":
      return `unknown option ${e.option}${suggestion(e.suggestions, (n) => n)}`
    case "InvalidValue":
      return e.value === "" ? `--${e.option} needs a value` : `--${e.option}: ${e.expected}`
    case "MissingOption":
      return `missing --${e.option}`
    case "MissingArgument":
      return `missing <${e.argument}>`
    case "UnexpectedArgument":
      return `unexpected argument ${JSON.stringify(e.arguments[0] ?? "")}`
    case "DuplicateOption":
      return `--${e.option} given twice`
    default:
      return e.message
  }
}

/** Help on standard output; usage errors (and the overview asked for by nothing) on standard error. */
const presenter: CliOutput.Presenter = {
  present: (event) =>
    Effect.sync(() => {
      switch (event._tag) {
        case "Help":
          return void process[event.reason === "Requested" ? "stdout" : "stderr"].write(helpText(event.helpDoc))
        case "Version":
          return void process.stdout.write(`plancast ${event.version}\n`)
        case "InvalidInvocation": {
          const [first] = event.errors
          if (first?._tag === "UnknownSubcommand")
            return void process.stderr.write(`plancast: unknown command ${JSON.stringify(first.subcommand)}${suggestion(first.suggestions, (n) => JSON.stringify(n))}\n\n${helpText(event.helpDoc)}`)
          const path = event.commandPath
          return void process.stderr.write(event.errors.map((e) => `${path.join(" ")}: ${problem(e)}`).join("\n") + `\n${HELP_POINTER(path)}\n`)
        }
      }
    }),
}

const version = (): string => (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version

/** The CLI module's environment: Node's services, the built-in --help and our --version, our presenter. */
const environment = Layer.mergeAll(NodeServices.layer, CliConfig.layer({ builtIns: [Help, Version] }), CliOutput.layerPresenter(presenter))

/** Where a run stopped by a signal learns the signal and leaves the exit status a command gave it. */
interface Stopping {
  signal?: NodeJS.Signals
  status?: number
}

/**
 * Runs the command line `argv` (without node and script). Fails only with an ExitStatus (its
 * status read by the runtime, Runtime.errorExitCode): a usage error is 2, a command's failure its
 * own status. Runs uninterruptibly but for the commands' handlers (handler.ts), so a command that
 * handles signals itself runs to its end; a command stopped by a signal may leave its status in
 * `stopping` (the signal still ends the run as interrupted, and runProcess exits with that
 * status instead of 130).
 */
export const program = (argv: readonly string[], stopping: Stopping = {}): Effect.Effect<void, ExitStatus> =>
  // `plancast help [command]` is `plancast [command] --help`
  Command.runWith(plancast, { version: version() })(argv[0] === "help" ? [...argv.slice(1), "--help"] : argv).pipe(
    Effect.catch((e) => Effect.fail(CliError.isCliError(e) ? new ExitStatus({ status: 2 }) : e)),
    Effect.provide(environment),
    Effect.provideService(SignalExit, { signal: () => stopping.signal, record: (status) => void (stopping.status = status) }),
    // outermost, so a signal waits for a command that stops itself (only handler.ts opens a command to interruption)
    Effect.uninterruptible,
  )

/** Runs the command line `argv` in this process; resolves with the exit status (as runMain would exit with). */
export const main = async (argv: readonly string[]): Promise<number> => {
  const exit = await Effect.runPromiseExit(program(argv))
  let status = 1
  Runtime.defaultTeardown(exit, (code) => (status = code))
  return Exit.isSuccess(exit) ? 0 : status
}

/** Runs the command line `argv` as the process (bin.mjs): SIGINT/SIGTERM interrupt it, its result is the exit status. */
export const runProcess = (argv: readonly string[]): void => {
  const stopping: Stopping = {}
  // runMain interrupts the run on either signal; which one it was is the command's to judge (publish: 130 or 143)
  for (const s of ["SIGINT", "SIGTERM"] as const) process.once(s, () => void (stopping.signal ??= s))
  NodeRuntime.runMain(program(argv, stopping), {
    disableErrorReporting: true,
    // a command stopped by the signal (serve, worker, publish, batch --nats, studio) exits with its own status
    teardown: (exit, onExit) =>
      Exit.isFailure(exit) && Cause.hasInterruptsOnly(exit.cause) && stopping.status !== undefined ? onExit(stopping.status) : Runtime.defaultTeardown(exit, onExit),
  })
}
