// Grids of assumptions for batch projections: parsing of `--grid ID=from:to:step` (or
// `ID=v1,v2,...`, or `ID=v`) into axes, the check of axis ids against a model's variables,
// and the cartesian product addressed by index (mixed radix, last axis fastest) so that a
// grid of a million points is never materialised. Sits under plan.ts; pure.
// Invariants: an axis has at least one value, values strictly increase for ranges, and a
// value is the decimal a reader expects (from + i*step rounded to 12 significant digits, so
// 0:1:0.1 gives 0.3, not 0.30000000000000004); the product of the axis sizes never exceeds
// MAX_GRID_POINTS; labels are `id=value` joined by `;` in axis order.
import { OptionError } from "../errors.ts"
import { didYouMean } from "../suggest.ts"

/** The most grid points (product of the axis sizes, times the scenarios) one batch may hold. */
export const MAX_GRID_POINTS = 1_000_000

/** One axis of a grid: a variable (indicator, auxiliary variable or exogenous series) and the shocks, in pp, to try on it. */
export interface GridAxis {
  /** The variable the shock applies to: an indicator id, a `variables` entry or an exogenous series. */
  readonly id: string
  /** The shock values in percentage points, in the order they are tried. */
  readonly values: readonly number[]
  /** The text the axis was parsed from (for messages). */
  readonly spec: string
}

const ID = /^[A-Za-z_][A-Za-z0-9_]*$/

const gridError = (spec: string, problem: string): OptionError => new OptionError({ option: "--grid", problem: `${JSON.stringify(spec)}: ${problem}` })

/** A number as written on the command line: plain decimal or exponent notation, finite. */
const parseNumber = (text: string, spec: string, what: string): number => {
  const t = text.trim()
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) throw gridError(spec, `${what} ${JSON.stringify(text)} is not a number`)
  const x = Number(t)
  if (!Number.isFinite(x)) throw gridError(spec, `${what} ${JSON.stringify(text)} is not a finite number`)
  return x
}

const tidy = (x: number): number => {
  const y = Number(x.toPrecision(12))
  return y === 0 ? 0 : y // no -0 in labels
}

/**
 * Parses one `--grid` argument: `ID=from:to:step` (from <= to, step > 0; `to` is included when
 * the steps land on it), `ID=v1,v2,...` (an explicit list, no repeats) or `ID=v`. Throws
 * OptionError for anything else, and for a range of more than MAX_GRID_POINTS values.
 */
export const parseGridAxis = (spec: string): GridAxis => {
  const eq = spec.indexOf("=")
  if (eq < 0) throw gridError(spec, "expected ID=from:to:step (e.g. fai=-15:15:5)")
  const id = spec.slice(0, eq).trim()
  const rhs = spec.slice(eq + 1).trim()
  if (!ID.test(id)) throw gridError(spec, `${JSON.stringify(id)} is not a variable id`)
  if (rhs === "") throw gridError(spec, "no values after '='")
  if (rhs.includes(":")) {
    const parts = rhs.split(":")
    if (parts.length !== 3) throw gridError(spec, "a range is from:to:step, three numbers")
    const from = parseNumber(parts[0]!, spec, "from")
    const to = parseNumber(parts[1]!, spec, "to")
    const step = parseNumber(parts[2]!, spec, "step")
    if (!(step > 0)) throw gridError(spec, `step must be > 0, not ${step}`)
    if (from > to) throw gridError(spec, `from (${from}) must be <= to (${to})`)
    // a small tolerance so that 0:1:0.1 includes 1 despite binary fractions
    const count = Math.floor((to - from) / step + 1e-9) + 1
    if (!Number.isFinite(count) || count > MAX_GRID_POINTS)
      throw gridError(spec, `${count} values, more than the ${MAX_GRID_POINTS.toLocaleString("en")} points a batch may hold`)
    const values: number[] = []
    for (let i = 0; i < count; i++) values.push(tidy(from + i * step))
    for (let i = 1; i < values.length; i++)
      if (!(values[i]! > values[i - 1]!)) throw gridError(spec, `step ${step} is too small to tell values apart near ${values[i]}`)
    return { id, values, spec }
  }
  const values = rhs.split(",").map((v) => tidy(parseNumber(v, spec, "value")))
  if (new Set(values).size !== values.length) throw gridError(spec, "a value is listed twice")
  return { id, values, spec }
}

/** A grid: its axes (distinct ids, in the order given) and its number of points. */
export interface Grid {
  readonly axes: readonly GridAxis[]
  /** Product of the axis sizes; 1 for an empty grid (the scenario alone). */
  readonly size: number
}

/** Parses every `--grid` argument into one grid. Throws OptionError on a malformed axis, a repeated id or too many points. */
export const parseGrid = (specs: readonly string[]): Grid => {
  const axes = specs.map(parseGridAxis)
  const seen = new Set<string>()
  for (const a of axes) {
    if (seen.has(a.id)) throw gridError(a.spec, `${a.id} has more than one --grid`)
    seen.add(a.id)
  }
  let size = 1
  for (const a of axes) {
    size *= a.values.length
    if (size > MAX_GRID_POINTS)
      throw new OptionError({
        option: "--grid",
        problem: `the grids make more than ${MAX_GRID_POINTS.toLocaleString("en")} points (${axes.map((x) => `${x.id}: ${x.values.length}`).join(" x ")})`,
      })
  }
  return { axes, size }
}

/** Refuses an axis whose id is not one of `known` (the variables a shock can move: the model's endogenous and exogenous ones). */
export const checkGridIds = (grid: Grid, known: readonly string[], modelName: string): void => {
  const set = new Set(known)
  for (const a of grid.axes)
    if (!set.has(a.id)) throw gridError(a.spec, `unknown id ${JSON.stringify(a.id)}${didYouMean(a.id, known)}: model ${modelName} has ${known.join(", ")}`)
}

/** One point of a grid: a value per axis, in axis order. */
export interface GridPoint {
  /** Position of the point in the grid's order (last axis varies fastest). */
  readonly index: number
  readonly shocks: readonly { readonly id: string; readonly value: number }[]
  /** `fai=-15;industry_va=2`; the empty string for an empty grid. */
  readonly label: string
}

/** The point at `index` (0 <= index < grid.size) of the cartesian product, last axis fastest. */
export const gridPoint = (grid: Grid, index: number): GridPoint => {
  if (!(Number.isInteger(index) && index >= 0 && index < grid.size)) throw new RangeError(`grid point ${index} outside 0..${grid.size - 1}`)
  const shocks: { id: string; value: number }[] = new Array(grid.axes.length)
  let rest = index
  for (let k = grid.axes.length - 1; k >= 0; k--) {
    const axis = grid.axes[k]!
    const n = axis.values.length
    shocks[k] = { id: axis.id, value: axis.values[rest % n]! }
    rest = Math.floor(rest / n)
  }
  return { index, shocks, label: shocks.map((s) => `${s.id}=${s.value}`).join(";") }
}
