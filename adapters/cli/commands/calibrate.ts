// `plancast calibrate <scenario> --worlds W --draws N --seed S [--format table|csv|json]`: the
// calibration check of releases as evidence (engine/project/calibrate.ts): W true worlds
// drawn from the model's prior, their releases on the scenario's release calendar, each
// nowcast from its releases with N draws and scored against the world's true annual growth.
// Shell.
import { calibrate, toInputs } from "../../../engine/index.ts"
import type { CalibrateInput } from "../configs/analysis.ts"
import { csvLine } from "../../csv.ts"
import { renderTable } from "../format.ts"
import { loadScenarioStrict, withConvergenceLocated } from "../../files/load.ts"
import { print, printJson } from "./command.ts"

/** Runs `plancast calibrate` on its parsed options; resolves with the exit status. */
export const runCalibrate = async (args: CalibrateInput): Promise<number> => {
  const scenario = await loadScenarioStrict(args.scenario)
  const conditioning = (args.conditioning ?? "posterior") as "posterior" | "exogenize"
  const opts = { worlds: args.worlds ?? 400, draws: args.draws ?? 2000, seed: args.seed ?? 1, conditioning }
  const report = withConvergenceLocated(scenario.model, () => calibrate(scenario.compiled, toInputs(scenario.compiled, scenario.state), opts))
  const format = args.format
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
}
