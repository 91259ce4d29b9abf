// fast-check generators of model equations and whole models for the compiler's property
// tests: random expressions over given names (as mathjs text), acyclic recursive models,
// diagonally dominant linear systems and contracting nonlinear systems; plus a reference
// evaluator that runs equations through mathjs itself (parse + evaluate), period by period.
// Test support only. Pure.
import fc from "fast-check"
import { all, create, type MathNode } from "mathjs"
import { Model, type ModelInput } from "../../engine/schema/model.ts"

/** Names an expression may use: plain symbols, and series that may be lagged `name(-k)` up to `maxLag`. */
export interface ExprNames {
  readonly symbols: readonly string[]
  readonly lagged: readonly string[]
  readonly maxLag: number
}

/**
 * A plain number for generated models: rounded to 1e-6 and never near zero. Zeros (signed
 * zeros above all) and subnormal numbers are where mathjs and IEEE arithmetic legitimately
 * part ways (mathjs's min/max compare with a relative tolerance and keep the first of two
 * "equal" arguments, so max(-0, 0) is -0 there and +0 in Math.max), not what the compiler is
 * tested for.
 */
export const plainNumber = (min: number, max: number): fc.Arbitrary<number> =>
  fc.double({ min, max, noNaN: true }).map((x) => {
    const r = Math.round(x * 1e6) / 1e6
    return Math.abs(r) < 1e-3 ? 0.5 : r
  })

const literal = fc
  .oneof(fc.integer({ min: -20, max: 20 }).map((k) => (k === 0 ? 1 : k)), plainNumber(-10, 10))
  .map((x) => (x < 0 ? `(${x})` : String(x)))

/** A random mathjs expression text over `names`, using every whitelisted operator and function. */
export const expression = (names: ExprNames, maxDepth = 4): fc.Arbitrary<string> => {
  const leaves: fc.Arbitrary<string>[] = [literal]
  if (names.symbols.length > 0) leaves.push(fc.constantFrom(...names.symbols), fc.constantFrom(...names.symbols))
  if (names.lagged.length > 0 && names.maxLag > 0)
    leaves.push(fc.tuple(fc.constantFrom(...names.lagged), fc.integer({ min: 1, max: names.maxLag })).map(([s, k]) => `${s}(-${k})`))
  const leaf = fc.oneof(...leaves)
  const { expr } = fc.letrec<{ expr: string }>((tie) => ({
    expr: fc.oneof(
      { maxDepth, depthIdentifier: "expr" },
      leaf,
      fc
        .tuple(tie("expr"), fc.constantFrom("+", "-", "*", "/"), tie("expr"), fc.boolean())
        .map(([a, op, b, paren]) => (paren ? `(${a} ${op} ${b})` : `${a} ${op} ${b}`)),
      tie("expr").map((a) => `(${a})^2`),
      // non-integer powers on abs(): mathjs makes (-Infinity)^0.5 complex where IEEE pow gives Infinity
      fc.tuple(tie("expr"), fc.constantFrom("0.5", "1.5", "(-0.5)", "0.3")).map(([a, k]) => `abs(${a})^${k}`),
      tie("expr").map((a) => `-${a}`),
      fc.tuple(fc.constantFrom("abs", "exp", "log", "sqrt"), tie("expr")).map(([f, a]) => `${f}(${a})`),
      fc.tuple(fc.constantFrom("min", "max"), fc.array(tie("expr"), { minLength: 1, maxLength: 3 })).map(([f, as]) => `${f}(${as.join(", ")})`),
    ),
  }))
  return expr
}

// The reference mathjs: `predictable` keeps results real (sqrt(-1) is NaN, not i), as the model language is real-valued.
const reference = create(all, { predictable: true })
const mathParse = reference.parse
const mathEvaluate = reference.evaluate
const SymbolNode = reference.SymbolNode

/** Relative closeness with NaN = NaN and equal infinities. */
export const close = (a: number, b: number, rel = 1e-12): boolean => {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b)
  if (a === b) return true
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false
  return Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b))
}

/** A mathjs result as a real number: complex (or any non-number) results become NaN. */
export const real = (v: unknown): number => (typeof v === "number" ? v : NaN)

/**
 * Rewrites lag calls `x(-k)` into symbols `x__lag_k` so mathjs can evaluate an equation with
 * plain numbers in scope (a name cannot be both a number and a function there).
 */
export const lagsToSymbols = (text: string, isSeries: (name: string) => boolean): MathNode =>
  mathParse(text).transform((node) => {
    const n = node as any
    if (n.type === "FunctionNode" && isSeries(n.fn.name)) {
      const k = n.args[0].args[0].value as number
      return new SymbolNode(`${n.fn.name}__lag_${k}`)
    }
    return node
  })

/** Evaluates mathjs text with a scope of numbers; lags read `lag(name, k)`. */
export const evaluateWithLags = (text: string, scope: Record<string, number>, lag: (name: string, k: number) => number, series: ReadonlySet<string>): number => {
  const node = lagsToSymbols(text, (name) => series.has(name))
  const full: Record<string, number> = { ...scope }
  node.traverse((x) => {
    const m = /^(.*)__lag_(\d+)$/.exec((x as any).name ?? "")
    if (x.type === "SymbolNode" && m) full[(x as any).name] = lag(m[1]!, Number(m[2]))
  })
  return real(node.evaluate(full))
}

/** A recursive (acyclic) model, with the order its variables can be evaluated in. */
export interface AcyclicCase {
  readonly model: Model
  /** Endogenous variables in an order where each equation only reads earlier ones in the same period. */
  readonly order: readonly string[]
}

/** Random acyclic models: variables read earlier variables now, any variable one or two periods ago, parameters and one exogenous series. */
export const acyclicModel: fc.Arbitrary<AcyclicCase> = fc
  .integer({ min: 1, max: 7 })
  .chain((n) => {
    const names = Array.from({ length: n }, (_, i) => `y${i}`)
    return fc.tuple(
      fc.shuffledSubarray(names, { minLength: n, maxLength: n }),
      fc.constantFrom<"monthly" | "quarterly" | "annual">("monthly", "quarterly", "annual"),
      fc.array(plainNumber(-3, 3), { minLength: n, maxLength: n }),
      fc.array(plainNumber(-3, 3), { minLength: 3, maxLength: 3 }),
      fc.integer({ min: 1, max: 6 }),
    )
  })
  .chain(([order, frequency, histories, params, horizon]) =>
    fc.tuple(...order.map((_, i) => expression({ symbols: [...order.slice(0, i), "p0", "p1", "p2", "x0"], lagged: [...order, "x0"], maxLag: 2 }, 3))).map(
      (eqs): AcyclicCase => {
        const input: ModelInput = {
          name: "acyclic",
          calendar: { frequency, baseYear: 2023, planYear: 2024, horizon },
          variables: Object.fromEntries(order.map((y) => [y, { history: [histories[Number(y.slice(1))]!, histories[Number(y.slice(1))]! + 1] }])),
          parameters: { p0: { value: params[0]! }, p1: { value: params[1]! }, p2: { value: params[2]! } },
          exogenous: { x0: { values: Array.from({ length: horizon }, (_, t) => 1 + t / 2), history: [0.25, 0.5] } },
          equations: Object.fromEntries(order.map((y, i) => [y, eqs[i]!])),
        }
        return { model: Model.parse(input), order }
      },
    ),
  )

/** A simultaneous system's model and its expected solution (when known in closed form). */
export interface SystemCase {
  readonly model: Model
  readonly names: readonly string[]
  /** For linear systems: the coefficient matrix A and right-hand side b of A x = b. */
  readonly A?: readonly (readonly number[])[]
  readonly b?: readonly number[]
}

const coefficient = fc.double({ min: -1, max: 1, noNaN: true }).map((x) => Math.round(x * 1000) / 1000)

const systemModel = (names: string[], equations: string[], parameters: Record<string, number>, method: "newton" | "gauss-seidel"): Model =>
  Model.parse({
    name: "system",
    calendar: { frequency: "annual", baseYear: 2023, planYear: 2024, horizon: 2 },
    variables: Object.fromEntries(names.map((x) => [x, {}])),
    parameters: Object.fromEntries(Object.entries(parameters).map(([k, v]) => [k, { value: v }])),
    equations: Object.fromEntries(names.map((x, i) => [x, equations[i]!])),
    solver: { method, tolerance: 1e-12, maxIterations: 200 },
  })

/**
 * Random linear systems A x = b of size 2..6, written as x_i = (b_i - sum_{k != i} A_ik x_k) / A_ii,
 * with b as parameters: strictly diagonally dominant (Gauss-Seidel converges), or, with
 * `dominant` false, with large off-diagonal coefficients (Newton's elimination must pivot).
 */
export const linearSystem = (method: "newton" | "gauss-seidel" = "newton", dominant = true): fc.Arbitrary<SystemCase> =>
  fc
    .integer({ min: 2, max: 6 })
    .chain((m) =>
      fc.tuple(
        fc.array(fc.array(coefficient, { minLength: m, maxLength: m }), { minLength: m, maxLength: m }),
        fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: m, maxLength: m }),
        fc.array(fc.boolean(), { minLength: m, maxLength: m }),
      ),
    )
    .map(([rows, b, negative]) => {
      const m = rows.length
      // a nonzero coefficient on the next variable makes one cycle through all: a single block
      const coupled = rows.map((row, i) => row.map((a, k) => (k === (i + 1) % m && a === 0 ? 0.5 : a)))
      // not dominant: off-diagonal coefficients up to 3 times the diagonal, so elimination has to pivot
      const A = dominant
        ? coupled.map((row, i) => row.map((a, k) => (i === k ? (negative[i] ? -1 : 1) * (1.5 + row.reduce((s, x, kk) => (kk === i ? s : s + Math.abs(x)), 0)) : a)))
        : coupled.map((row, i) => row.map((a, k) => (i === k ? (negative[i] ? -1 : 1) * (0.25 + Math.abs(a) / 2) : 3 * a)))
      const names = Array.from({ length: m }, (_, i) => `z${i}`)
      const equations = names.map((_, i) => {
        const terms = names.flatMap((x, k) => (k === i || A[i]![k] === 0 ? [] : [`${A[i]![k]} * ${x}`]))
        return `(b${i}${terms.length ? " - (" + terms.join(" + ") + ")" : ""}) / ${A[i]![i]}`
      })
      const params = Object.fromEntries(b.map((v, i) => [`b${i}`, v]))
      return { model: systemModel(names, equations, params, method), names, A, b }
    })

/**
 * Random contracting nonlinear systems of size 2..5: x_i = c_i + sum_k s_ik * f_ik(x_k) with
 * bounded-slope f and sum_k |s_ik| < 0.6, so Gauss-Seidel converges and so does Newton.
 */
export const nonlinearSystem = (method: "newton" | "gauss-seidel" = "newton"): fc.Arbitrary<SystemCase> =>
  fc
    .integer({ min: 2, max: 5 })
    .chain((m) =>
      fc.tuple(
        fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: m, maxLength: m }),
        fc.array(
          fc.array(fc.tuple(coefficient, fc.constantFrom("X^2 / (1 + X^2)", "sqrt(1 + X^2)", "log(1 + X^2)", "exp(-(X^2) / 4)", "X", "X / 2 + 0.1 * X^2 / (1 + X^2)")), {
            minLength: m,
            maxLength: m,
          }),
          { minLength: m, maxLength: m },
        ),
      ),
    )
    .map(([c, terms]) => {
      const m = c.length
      const names = Array.from({ length: m }, (_, i) => `w${i}`)
      const equations = names.map((_, i) => {
        const total = terms[i]!.reduce((s, [a]) => s + Math.abs(a), 0) || 1
        const parts = terms[i]!.map(([a, f], k) => `${((a / total) * 0.55).toFixed(6)} * (${f.replaceAll("X", names[k]!)})`)
        return `c${i} + ${parts.join(" + ")}`
      })
      return { model: systemModel(names, equations, Object.fromEntries(c.map((v, i) => [`c${i}`, v])), method), names }
    })

/** mathjs's own evaluation of one equation text with plain numbers (no lags). */
export const evaluateText = (text: string, scope: Record<string, number>): number => real(mathEvaluate(text, { ...scope }))

/** A small valid monthly model (two indicators, one auxiliary variable), with fields overridden. */
export const tinyModel = (over: Partial<ModelInput> = {}): Model =>
  Model.parse({
    name: "tiny",
    calendar: { frequency: "monthly", baseYear: 2023, planYear: 2024 },
    indicators: [
      { id: "gdp", name: "GDP", kind: "flow", base: { growth: 5 } },
      { id: "fai", name: "Fixed-asset investment", kind: "flow", base: { growth: -10 } },
    ],
    variables: { construction: { history: 2 } },
    parameters: { beta: { value: 0.5 } },
    exogenous: { ext: { values: 3 } },
    equations: { gdp: "beta * fai + 0.5 * gdp(-12) + ext", fai: "0.9 * fai(-1) + construction", construction: "2" },
    observation: { decay: 0.5 },
    ...over,
  })

/** A small quarterly model as file text (two indicators, a lag), for tests of files and of the command line that check line numbers. */
export const TINY_MODEL_YAML = `name: tiny
calendar: { frequency: quarterly, baseYear: 2023, planYear: 2024 }
indicators:
  - id: y
    name: Output
    kind: flow
    base: { growth: 5 }
    target: { kind: atLeast, value: 5 }
  - id: c
    name: Consumption
    kind: flow
    base: { growth: 4 }
parameters:
  beta: { value: 0.5 }
exogenous:
  g: { values: 2 }
equations:
  y: "beta * c + g"
  c: "0.8 * y(-1)"
`
