// Tiny hand-made models for the scenario tests: a monthly one with a profiled flow indicator,
// a flat one, a rate, an auxiliary variable, parameters and an exogenous series, over an
// 18-month horizon (so periods after the plan year exist); and a quarterly one. Compiled with
// engine/compile; `viewOf` gives the scenario layer's view without the compiler, to check both agree.
import { Model, type ModelInput } from "../../../engine/schema/model.ts"
import type { ScenarioModel } from "../../../engine/scenario/state.ts"
import { periodLabels, periodsPerYear } from "../../../engine/compile/calendar.ts"
import { compile, type CompiledModel } from "../../../engine/compile/index.ts"

export const tinyInput: ModelInput = {
  name: "tiny",
  calendar: { frequency: "monthly", baseYear: 2023, planYear: 2024, horizon: 18 },
  indicators: [
    { id: "fai", name: "Investment", kind: "flow", base: { growth: -15 }, profile: [1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 6] },
    { id: "ind", name: "Industry", kind: "flow", base: { growth: 5 } },
    { id: "gdp", name: "GDP", kind: "flow", base: { growth: 5 } },
    { id: "cpi", name: "Prices", kind: "rate", base: { growth: 1 } },
  ],
  variables: { construction: { history: -10 } },
  parameters: { beta: { value: 0.4, uncertainty: { dist: "normal", sd: 0.1 } }, gamma: { value: 1 } },
  exogenous: { ext: { values: 3 } },
  equations: {
    fai: "ext + 2",
    ind: "1 + 0.1 * ext",
    construction: "beta * fai",
    gdp: "0.5 * construction + gamma * ind",
    cpi: "2",
  },
}

export const quarterlyInput: ModelInput = {
  name: "quarterly",
  calendar: { frequency: "quarterly", baseYear: 2023, planYear: 2024 },
  indicators: [{ id: "gdp", name: "GDP", kind: "flow", base: { growth: 5 }, profile: [1, 2, 3, 4] }],
  equations: { gdp: "5" },
}

/** The scenario layer's view of a model, without the compiler: names and horizon only. */
export const viewOf = (input: ModelInput): ScenarioModel => {
  const model = Model.parse(input)
  return {
    model,
    periods: periodLabels(model.calendar),
    periodsPerYear: periodsPerYear(model.calendar.frequency),
    endogenous: [...model.indicators.map((i) => i.id), ...Object.keys(model.variables)],
    exogenous: Object.keys(model.exogenous),
    parameters: Object.keys(model.parameters),
  }
}

export const tiny: CompiledModel = compile(Model.parse(tinyInput))
export const quarterly: CompiledModel = compile(Model.parse(quarterlyInput))
