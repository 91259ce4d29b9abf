// What the analysis commands take (project, compare, explain, seek, renorm, multipliers,
// calibrate, backtest, estimate), declared with effect/cli: each command's summary, its help's
// description, and its config (flags and arguments with their descriptions; the value kinds and
// shared groups in ../options.ts). The generated help and the parsing both come from here; the
// implementations in ../commands/ receive the parsed input (the `*Input` types). Declarations
// only: loaded at start-up, importing nothing that runs. Shell-side, pure.
import { Argument, type Command } from "effect/cli"
import { choice, count, draws, flag, format, probability, runGroup, seed, text, texts } from "../options.ts"

/** A command's words for the overview and its help, and its flags and arguments. */
export interface Declared<Config extends Command.Command.Config> {
  readonly summary: string
  readonly description: string
  readonly config: Config
}

const declare = <const Config extends Command.Command.Config>(d: Declared<Config>): Declared<Config> => d
const file = (name: string, description: string) => Argument.String(name).pipe(Argument.withDescription(description))
const EXIT = "Exit status: 0 done; 2 invalid input (file, model, event or option); 1 anything else."

/** Draws used by seek with --probability when --draws is not given. */
export const DEFAULT_SEEK_DRAWS = 2000
/** Draws of each backtest step's projection unless --draws says otherwise. */
export const DEFAULT_BACKTEST_DRAWS = 2000

export const project = declare({
  summary: "project one scenario: each indicator's path, annual growth, target verdict",
  description: `Projects the scenario (a YAML or JSON scenario file: its model, base and events) over the plan year and shows, per indicator, the target, the projected annual growth, whether the target is met and the growth required in the periods not yet observed.\n\n${EXIT}`,
  config: {
    scenario: file("scenario", "the scenario file"),
    ...runGroup(),
    format: format(["table", "json", "csv"], 'table (default), json (the projection contract) or csv (scenario,indicator,period,ytd_p05,ytd_p50,ytd_p95,observed; plus one "annual" row per indicator)'),
    report: text("report", "also write an HTML report to FILE", "FILE"),
    bands: text("bands", "with --draws: the mean, sd and quantiles of these endogenous variables (or all) in every period of the horizon, in their own units (in the JSON: solution.bands)", "V,V...|all"),
  },
})

export const compare = declare({
  summary: "several scenarios side by side",
  description:
    "Projects every scenario with the same draws and seed and shows them side by side: one row per indicator, one column per scenario (annual growth p50, ✓ target met, ✗ not; with draws, the probability of meeting the target).",
  config: {
    scenarios: file("scenario", "the scenario files").pipe(Argument.variadic({ min: 1 })),
    draws: draws("Monte Carlo draws (default 0: deterministic)"),
    seed: seed("seed (default 1)"),
    format: format(["table", "json", "csv"], 'table (default), json ({"scenarios": [projection, ...]}) or csv (as project\'s)'),
    report: text("report", "also write an HTML report of all of them to FILE", "FILE"),
  },
})

export const explain = declare({
  summary: "attribute the difference between two scenarios to events",
  description:
    "Splits the difference in each indicator's annual growth (percentage points) between the scenario and another of the same model into one contribution per event that differs: exact Shapley values over deterministic projections, so the contributions add up to the total and do not depend on the order of the events.\n\n" +
    "With --news: what each data release did to the forecast, in the order it came. The scenario's events after those of the comparison (its base by default; --against must be an earlier state of the same log), in log order, each step against the forecast just before it. A step is a release (consecutive data releases through the same period), a revision (consecutive re-releases of periods already released, through the same period) or other events. For each release: expected (the projection's mean year-to-date value of that period just before it), actual and surprise; for each step: its impact on every indicator's annual mean, p50 and P(target). start + the impacts = end.",
  config: {
    scenario: file("scenario", "the scenario file"),
    against: text("against", "the scenario to compare with (default: the scenario's base, else the model with no events)", "FILE"),
    format: format(
      ["table", "csv", "json"],
      'table (default), csv (scenario, against, indicator, event, pp; a row with event "total" per indicator) or json ({scenario, against, method, indicators: [{id, total, contributions: [{event, value}]}]}). With --news, csv: step, kind, events, indicator, mean, p50, probability, through, expected, actual, surprise (start (step 0) and end rows the levels, each step\'s rows its impact, the release columns on the row of the indicator released); json: {scenario, method: "news", draws, seed, start: {id: {mean, p50, probability}}, steps: [{events, kind, releases: [{id, series, through, expected, actual, surprise}], impact: {id: {mean, p50, probability}}}], end}',
    ),
    group: choice("group", ["none", "releases"], "releases: count all data releases through the same period as one contribution (for long timelines: at most 12 contributions are computed exactly)"),
    report: text("report", "also write an HTML report (a waterfall per indicator) to FILE", "FILE"),
    news: flag("news", "the sequential view: what each data release did to the forecast (see above)"),
    draws: draws("with --news: Monte Carlo draws of every projection (default 0: deterministic)"),
    seed: seed("with --news: seed (default 1)"),
  },
})

export const seek = declare({
  summary: "the shock to one variable that just meets an indicator's target",
  description:
    "Finds the shock (added to --shock in every period of the horizon: percentage points of growth for an indicator, units of level for another variable) at which the indicator --target just meets its target. Negative: the scenario meets the target with that much room to spare.",
  config: {
    scenario: file("scenario", "the scenario file"),
    target: text("target", "the indicator whose target must be met (required)", "ID"),
    shock: text("shock", "the variable shocked (required): an indicator (pp added to its growth), another endogenous variable (added to its level) or an exogenous series (added to its values)", "ID"),
    probability: probability("probability", "meet the target in this share of Monte Carlo draws (0 < P < 1); without it the deterministic projection decides"),
    draws: draws(`draws with --probability (default ${DEFAULT_SEEK_DRAWS})`),
    seed: seed("seed (default 1)"),
    format: format(["table", "csv", "json"], "table (default), csv (target, shock, value, annual, probability, met, draws) or json ({target, shock, value, probability, met, annual, range, draws, seed})"),
  },
})

export const renorm = declare({
  summary: "n instruments that meet n targets period by period (Newton on the whole model)",
  description:
    "Finds the values of the instruments at which every target variable takes its target value in every chosen period, at the scenario's deterministic solution: n targets need n instruments. All unknowns are solved together by Newton's method on the whole model, to 1e-10 relative.",
  config: {
    scenario: file("scenario", "the scenario or model file"),
    target: texts("target", "an endogenous variable and its value in each chosen period (one value: the same in every period)", "V=x[,x...]"),
    instrument: texts("instrument", "an exogenous series (its value in each period), a parameter (one value for the horizon) or an endogenous variable (its add-factor in each period, in the variable's units)", "I"),
    periods: text("periods", "the target periods (default: every period of the horizon)", "P,P..."),
    format: format(
      ["table", "csv", "json"],
      "table (default), csv (period, then <V>_target and <V>_reached per target and one column per instrument; a parameter's value on the first row) or json ({periods, instruments, targets, iterations, residual})",
    ),
  },
})

export const multipliers = declare({
  summary: "response of every indicator's annual growth to a 1 pp shock",
  description:
    "For each endogenous variable (or only each --shock ID, which may also be an exogenous series): at the scenario's deterministic solution, with plan indicators and no --response, the change in every indicator's annual growth (pp) when 1 pp is added to that variable's growth in every period. With --response (or for a model without indicators, every endogenous variable), the impact and interim multipliers of each response and the full matrix d response[t] / d shock[s] over the horizon; the shock is 1 unit added to the level of a variable in levels (an exogenous series or an endogenous variable's add-factor), 1 pp to an indicator's growth.",
  config: {
    scenario: file("scenario", "the scenario file"),
    shock: texts("shock", "the shocked variable", "ID"),
    response: texts("response", "a responding endogenous variable", "ID"),
    format: format(
      ["table", "csv", "json"],
      "table (default), csv (shock, response, period, impact, interim, annual, matrix columns; annual: an indicator's number of the table) or json (the engine's multipliers: per shocked variable and response the impact, interim and full matrices over the horizon and the annual)",
    ),
  },
})

export const calibrate = declare({
  summary: "check by simulation that nowcasts from releases are calibrated",
  description:
    "Checks by simulation that the nowcasts' probabilities are right if the model is true: draws W true worlds from the model's prior, gives each the releases of the scenario's observe events (same series and periods, values from the world plus release noise), nowcasts each from those releases alone with N draws and reports per indicator the coverage of the 50% and 90% bands of annual growth, a 10-bin PIT histogram, the Brier score and a reliability table of P(target).",
  config: {
    scenario: file("scenario", "the scenario file"),
    worlds: count("worlds", "true worlds drawn from the model's prior (default 400)"),
    draws: draws("draws of each nowcast (default 2000)"),
    seed: seed("seed (default 1)"),
    conditioning: choice("conditioning", ["posterior", "exogenize"], "posterior (default: releases as evidence) or exogenize (every draw forced onto the releases, for comparison)"),
    format: format(["table", "csv", "json"], "table (default), csv (indicator, coverage50, coverage90, brier, pit_1 .. pit_10) or json (with the reliability tables)"),
  },
})

export const backtest = declare({
  summary: "score the forecasts as of each release batch against the year's outcomes",
  description:
    "How good were the forecasts, as of each release? Replays the scenario's log as of each release batch (the prefix of the log that ends with the observe events sharing a through period, in log order; a batch of revisions too), projects each prefix with the same draws and seed (each step is `plancast project` of that prefix), and scores every indicator with an outcome: the error of p50, the CRPS of the (release-weighted) draws, the PIT of the outcome, whether it lies in the 50% and 90% bands, P(target) with its Brier and log score against whether the outcome meets the target, and the width of the 90% band. Beside it, naive benchmarks scored the same way: the target's value, and the base year's growth, each as the median with the model's own spread.\n\n" +
    "Exit status: 0 done; 2 invalid input (file, model, event, outcome or option); 1 anything else.",
  config: {
    scenario: file("scenario", "the scenario file"),
    outcome: texts("outcome", "an indicator's actual annual growth (%); repeat for each indicator", "ID=VALUE"),
    outcomes: text("outcomes", "outcomes from a YAML file: outcomes: { ID: VALUE, ID: { value, source } }; --outcome overrides it for the same indicator", "FILE"),
    draws: draws(`draws of every step's projection (default ${DEFAULT_BACKTEST_DRAWS}, at least 1)`),
    seed: seed("seed (default 1)"),
    format: format(
      ["table", "json", "csv"],
      "table (default), json ({scenario, draws, seed, outcomes, steps: [{asOf: {events, count, through, kind}, indicators: [{id, outcome, p05, p25, p50, p75, p95, width90, probability, error, crps, pit, inside50, inside90, brier, logScore}]}], summary: {id: {error, crps, brier, logScore, coverage50, coverage90, naive: {target, lastYear}}}}) or csv (one row per step and indicator)",
    ),
    report: text("report", "also write an HTML report: per indicator the evolution of its annual forecast (p50, 50% and 90% bands) as of each release, the outcome and the target, and P(target) under it", "FILE"),
  },
})

export const estimate = declare({
  summary: "estimate a model's behavioural equations by OLS; static simulation, residual check",
  description:
    "Estimates the behavioural equations the model marks under estimate: (coefficients, sample, optional restrict and ar) by ordinary least squares from its data: linear restrictions by restricted least squares, AR(n) errors by iterated Cochrane-Orcutt. Prints per equation the coefficients with standard errors and t statistics, R², adjusted R², the standard error of the regression, the sum of squared residuals, Durbin-Watson and the residuals. A model without estimate: entries runs --static and --rescheck on its own parameter values.",
  config: {
    model: file("model", "the model file"),
    equation: texts("equation", "estimate only this equation", "V"),
    write: flag("write", "put the estimates into the model file (its parameters' values; comments kept)"),
    out: text("out", "write the model with the estimates to FILE instead", "FILE"),
    static: flag("static", "static simulation of the estimated model over --from..--to (every lag from the data): each endogenous variable's one-period-ahead solution"),
    rescheck: flag("rescheck", "residual check: data minus each equation evaluated at the data (zero for identities the data satisfy; the residuals of behavioural equations)"),
    from: text("from", "start of the range of --static and --rescheck (default: the data but its first period)", "P"),
    to: text("to", "end of the range of --static and --rescheck (default: the data's last period)", "P"),
    format: format(
      ["table", "csv", "json"],
      "table (default), json ({ estimation, static?, rescheck? }) or csv, one value a line: table,variable,row,column,value (table coefficients: row the coefficient, column estimate|std_error|t; statistics: row observations, r_squared, adjusted_r_squared, ser, ssr, durbin_watson; residuals, static and rescheck: row the period)",
    ),
  },
})

export type ProjectInput = Command.Command.Config.Infer<typeof project.config>
export type CompareInput = Command.Command.Config.Infer<typeof compare.config>
export type ExplainInput = Command.Command.Config.Infer<typeof explain.config>
export type SeekInput = Command.Command.Config.Infer<typeof seek.config>
export type RenormInput = Command.Command.Config.Infer<typeof renorm.config>
export type MultipliersInput = Command.Command.Config.Infer<typeof multipliers.config>
export type CalibrateInput = Command.Command.Config.Infer<typeof calibrate.config>
export type BacktestInput = Command.Command.Config.Infer<typeof backtest.config>
export type EstimateInput = Command.Command.Config.Infer<typeof estimate.config>
