// Benchmark peer (c): the model as a newcomer would run it with mathjs: each equation's text
// compiled once with `math.compile`, then `evaluate(scope)` per equation, per period, per
// draw, with a plain object as the scope. Lags `x(-k)` become scope symbols `x__lag_k` set
// each period; equations run in the engine's block order; a simultaneous block is iterated
// (Gauss-Seidel, starting from the previous period's values) until no value moves by more than
// 1e-13 relative, since evaluate alone cannot solve a system. Works for any model in the
// language (nothing Duji-specific); reads the same pre-sampled inputs as the engine and writes
// the same annual growths. Pure apart from mathjs itself.
import { parse, SymbolNode, type EvalFunction, type MathNode } from "mathjs"
import type { CompiledModel } from "../../engine/index.ts"
import { histories, type BenchInputs } from "../inputs.ts"
import { indicatorProfile, ytdAt } from "../../engine/ytd.ts"

/** What a run of the mathjs peer did besides its results. */
export interface MathjsStats {
  /** Equation evaluations performed (every `evaluate` call). */
  readonly evaluations: number
  /** Gauss-Seidel sweeps of the simultaneous blocks, in total. */
  readonly sweeps: number
}

/** A mathjs-evaluate solver: the first `draws` draws of `input` into annual[d * nInd + k]. */
export type MathjsSolver = (input: BenchInputs, draws: number, annual: Float64Array) => MathjsStats

const lagName = (name: string, k: number): string => `${name}__lag_${k}`

/** Builds the mathjs peer for a compiled model. */
export const mathjsPeer = (compiled: CompiledModel): MathjsSolver => {
  const endo = compiled.endogenous
  const endoSet = new Set(endo)
  const lags: { name: string; k: number; j: number }[] = []
  const exprs = endo.map((name) => {
    // an observable's equation is its expression (it is an endogenous variable of its own)
    const node = parse(compiled.model.equations[name] ?? compiled.model.observables[name]!.expression).transform((n: MathNode) => {
      if (n.type === "FunctionNode") {
        const fn = (n as unknown as { fn: { name?: string }; args: MathNode[] }).fn.name
        if (fn !== undefined && endoSet.has(fn)) {
          const k = -Number((n as unknown as { args: MathNode[] }).args[0]!.evaluate())
          if (!lags.some((l) => l.name === fn && l.k === k)) lags.push({ name: fn, k, j: endo.indexOf(fn) })
          return new SymbolNode(lagName(fn, k))
        }
      }
      return n
    })
    return node.compile() as EvalFunction
  })
  const hist = histories(compiled)
  const T = compiled.periods.length
  const n = endo.length
  const nx = compiled.exogenous.length
  const np = compiled.parameters.length
  const P = compiled.periodsPerYear
  const blocks = compiled.blocks.map((b) => ({ vars: b.variables.map((v) => endo.indexOf(v)), simultaneous: b.simultaneous }))
  const indicators = compiled.model.indicators.map((i) => ({ j: endo.indexOf(i.id), kind: i.kind, b: indicatorProfile(i, compiled.model.calendar, P) }))
  const nInd = indicators.length
  const path = new Float64Array(T * n)

  return (input, draws, annual) => {
    let evaluations = 0
    let sweeps = 0
    for (let d = 0; d < draws; d++) {
      const scope: Record<string, number> = {}
      compiled.parameters.forEach((name, i) => (scope[name] = input.params[d * np + i]!))
      endo.forEach((name) => (scope[name] = hist[name]?.at(-1) ?? 0))
      for (let t = 0; t < T; t++) {
        compiled.exogenous.forEach((name, i) => (scope[name] = input.exo[(d * T + t) * nx + i]!))
        for (const l of lags) {
          const s = t - l.k
          scope[lagName(l.name, l.k)] = s >= 0 ? path[s * n + l.j]! : hist[l.name]![hist[l.name]!.length + s]!
        }
        const af = (j: number): number => input.addFactors[(d * T + t) * n + j]!
        for (const b of blocks) {
          if (!b.simultaneous) {
            const j = b.vars[0]!
            scope[endo[j]!] = (exprs[j]!.evaluate(scope) as number) + af(j)
            evaluations++
            continue
          }
          for (let sweep = 0; ; sweep++) {
            let moved = false
            for (const j of b.vars) {
              const name = endo[j]!
              const next = (exprs[j]!.evaluate(scope) as number) + af(j)
              evaluations++
              if (!(Math.abs(next - scope[name]!) <= 1e-13 * (1 + Math.abs(next)))) moved = true
              scope[name] = next
            }
            sweeps++
            if (!moved) break
            if (sweep > 10_000) throw new Error(`mathjs peer: block {${b.vars.map((j) => endo[j]).join(", ")}} does not converge by iteration`)
          }
        }
        for (let j = 0; j < n; j++) path[t * n + j] = scope[endo[j]!]!
      }
      for (let k = 0; k < nInd; k++) {
        const ind = indicators[k]!
        annual[d * nInd + k] = ytdAt(ind.kind, ind.b, path, ind.j, n, P)
      }
    }
    return { evaluations, sweeps }
  }
}
