// The `plancast` command line: picks the command named by the first argument and runs it;
// turns what it throws into a message on standard error and an exit status (failure.ts:
// 0 success, 2 invalid input, 1 anything else).
// `--version` (`-V`) prints the package's version; a misspelt command gets the closest names.
// A thin dispatcher: each command lives in commands/, formatting in format.ts. Shell.
import { readFile } from "node:fs/promises"
import { didYouMean } from "../../engine/index.ts"
import type { Command } from "./commands/command.ts"

/** The commands, each loaded only when run (a command's dependencies never slow or break another). */
const commands: readonly { name: string; summary: string; load: () => Promise<Command> }[] = [
  { name: "project", summary: "project one scenario: each indicator's path, annual growth, target verdict", load: async () => (await import("./commands/project.ts")).projectCommand },
  { name: "compare", summary: "several scenarios side by side", load: async () => (await import("./commands/compare.ts")).compareCommand },
  { name: "explain", summary: "attribute the difference between two scenarios to events", load: async () => (await import("./commands/explain.ts")).explainCommand },
  { name: "seek", summary: "the shock to one variable that just meets an indicator's target", load: async () => (await import("./commands/seek.ts")).seekCommand },
  { name: "renorm", summary: "n instruments that meet n targets period by period (Newton on the whole model)", load: async () => (await import("./commands/renorm.ts")).renormCommand },
  { name: "multipliers", summary: "response of every indicator's annual growth to a 1 pp shock", load: async () => (await import("./commands/multipliers.ts")).multipliersCommand },
  { name: "calibrate", summary: "check by simulation that nowcasts from releases are calibrated", load: async () => (await import("./commands/calibrate.ts")).calibrateCommand },
  { name: "backtest", summary: "score the forecasts as of each release batch against the year's outcomes", load: async () => (await import("./commands/backtest.ts")).backtestCommand },
  { name: "estimate", summary: "estimate a model's behavioural equations by OLS; static simulation, residual check", load: async () => (await import("./commands/estimate.ts")).estimateCommand },
  { name: "batch", summary: "many projections at once (grids, files), for scripts", load: async () => (await import("./commands/external.ts")).batchCommand },
  { name: "validate", summary: "check a model, scenario or NDJSON events file", load: async () => (await import("./commands/validate.ts")).validateCommand },
  { name: "serve", summary: "the event-driven service: events in (NATS or stdin), forecasts out", load: async () => (await import("./commands/external.ts")).serveCommand },
  { name: "publish", summary: "publish scenario events from an NDJSON file to NATS", load: async () => (await import("./commands/external.ts")).publishCommand },
  { name: "worker", summary: "compute batch jobs from NATS JetStream for `batch --nats` clients", load: async () => { const m = await import("./commands/worker.ts"); return { name: "worker", help: m.workerHelp, run: m.workerCommand } } },
  { name: "studio", summary: "a local web page to change assumptions and watch the targets' probabilities move", load: async () => (await import("./commands/studio.ts")).studioCommand },
  { name: "start", summary: "the Duji 2024 baseline and its alternative scenarios side by side (npm start)", load: async () => (await import("./commands/start.ts")).startCommand },
]

const overview = (): string =>
  `usage: plancast <command> [options]   (plancast <command> --help for each)

${commands.map((c) => `  ${c.name.padEnd(12)}${c.summary}`).join("\n")}

  --version   the version of plancast (-V)

Exit status: 0 success; 2 invalid input (usage, file, model, event, option); 1 anything else.
Set PLANCAST_DEBUG=1 to see the stack of an unexpected failure.
`

/** Runs the command line `argv` (without node and script) and returns the exit status. */
export const main = async (argv: readonly string[]): Promise<number> => {
  const [name, ...rest] = argv
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process[name === undefined ? "stderr" : "stdout"].write(overview())
    return name === undefined ? 2 : 0
  }
  if (name === "--version" || name === "-V") {
    process.stdout.write(`plancast ${await version()}\n`)
    return 0
  }
  const command = commands.find((c) => c.name === name)
  if (!command) {
    const names = commands.map((c) => c.name)
    process.stderr.write(`plancast: unknown command ${JSON.stringify(name)}${didYouMean(name, names)}\n\n${overview()}`)
    return 2
  }
  try {
    return await (await command.load()).run(rest)
  } catch (e) {
    const { describeFailure } = await import("./failure.ts")
    const { lines, status } = describeFailure(name, e)
    process.stderr.write(lines.join("\n") + "\n")
    return status
  }
}

/** The version of the package (package.json beside adapters/). */
const version = async (): Promise<string> => {
  const pkg = JSON.parse(await readFile(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
  return pkg.version
}
