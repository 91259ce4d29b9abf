// `plancast calibrate <scenario> --worlds W --draws N --seed S [--format table|csv|json]`: the
// calibration check of releases as evidence (engine/project/calibrate.ts): W true worlds
// drawn from the model's prior, their releases on the scenario's release calendar, each
// nowcast from its releases with N draws and scored against the world's true annual growth.
// Shell.
import { calibrate, toInputs } from "../../../engine/index.ts"
import { optionNumber, optionString, parseArgs } from "../args.ts"
import { csvLine } from "../../csv.ts"
import { renderTable } from "../format.ts"
import { loadScenarioStrict, withConvergenceLocated } from "../../files/load.ts"
import { formatOption, print, printJson, type Command } from "./command.ts"

const spec = {
  command: "calibrate",
  options: { worlds: { kind: "draws" }, draws: { kind: "draws" }, seed: { kind: "seed" }, conditioning: { kind: "choice", values: ["posterior", "exogenize"] }, format: formatOption("table", "csv", "json") },
  positionals: { min: 1, max: 1, name: "the scenario file (plancast calibrate <scenario>)" },
} as const

export const calibrateCommand: Command = {
  name: "calibrate",
  help: `usage: plancast calibrate <scenario> [--worlds W] [--draws N] [--seed S] [--conditioning posterior|exogenize] [--format table|csv|json]

Checks by simulation that the nowcasts' probabilities are right if the model is true: draws W
true worlds from the model's prior (default 400), gives each the releases of the scenario's
observe events (same series and periods, values from the world plus release noise), nowcasts
each from those releases alone with N draws (default 2000) and reports per indicator the
coverage of the 50% and 90% bands of annual growth, a 10-bin PIT histogram, the Brier score
and a reliability table of P(target).
  --seed S          seed (default 1)
  --conditioning C  posterior (default: releases as evidence) or exogenize (every draw forced
                    onto the releases, for comparison)
  --format F        table (default), csv (indicator, coverage50, coverage90, brier, pit_1 ..
                    pit_10) or json (with the reliability tables)
`,
  run: async (argv) => {
    const args = parseArgs(spec, argv)
    if (args.help) return print(calibrateCommand.help), 0
    const scenario = await loadScenarioStrict(args.positionals[0]!)
    const conditioning = (optionString(args, "conditioning") ?? "posterior") as "posterior" | "exogenize"
    const opts = { worlds: optionNumber(args, "worlds") ?? 400, draws: optionNumber(args, "draws") ?? 2000, seed: optionNumber(args, "seed") ?? 1, conditioning }
    const report = withConvergenceLocated(scenario.model, () => calibrate(scenario.compiled, toInputs(scenario.compiled, scenario.state), opts))
    const format = optionString(args, "format")
    if (format === "json") printJson(report)
    else if (format === "csv")
      print(
        [
          csvLine(["indicator", "coverage50", "coverage90", "brier", ...Array.from({ length: 10 }, (_, k) => `pit_${k + 1}`)]),
          ...report.indicators.map((i) => csvLine([i.id, i.coverage50, i.coverage90, i.brier, ...i.pit])),
        ].join("\n") + "\n",
      )
    else {
      const rows = report.indicators.map((i) => [
        i.id,
        i.coverage50.toFixed(3),
        i.coverage90.toFixed(3),
        i.brier === null ? "—" : i.brier.toFixed(3),
        i.pit.map((x) => x.toFixed(2)).join(" "),
      ])
      print(
        `${scenario.name}: ${report.worlds} worlds, ${report.releases} releases each, ${report.draws} draws per nowcast (${report.conditioning}); ` +
          `effective sample size min ${report.ess.min.toFixed(0)}, median ${report.ess.median.toFixed(0)}\n\n` +
          renderTable(["indicator", "coverage50", "coverage90", "brier", "PIT (10 bins)"], rows),
      )
    }
    return 0
  },
}
