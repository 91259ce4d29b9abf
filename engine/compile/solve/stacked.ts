// The forward-looking solver: a model whose equations read leads x(+k) is solved for all its
// periods at once (stacked time, as Dynare's perfect-foresight solver and FRB/US do): the
// unknowns are every endogenous value of every period of the horizon, the residuals
// x[t] - rhs(t) - addFactor[t] (or x[t] - observed value where fixed), and Newton's method
// iterates on the whole system with its sparse Jacobian: each entry the symbolic derivative
// of one equation in one series read (variable and lag or lead, jacobian.ts), evaluated by the
// interpreter (evaluate.ts). Unknowns are ordered by period, so the Jacobian is banded (lags and
// leads bound the band) and is factored by Gaussian elimination with partial pivoting within the
// band. Lags before the horizon read the history; leads past its end read the terminal
// conditions. Converged: every |residual| <= tolerance * (1 + |x|). Pure; reports
// non-convergence through `fail` (which throws).
import { evaluate, type SeriesReader } from "../evaluate.ts"
import { walk, type Expr } from "../expr.ts"
import { partial } from "../jacobian.ts"
import type { KernelPlan } from "../codegen.ts"

/** Everything the stacked solver needs about a model. */
export interface StackedPlan extends Pick<KernelPlan, "T" | "nEndo" | "nExo" | "nParam" | "rhs" | "endoHistory" | "exoHistory"> {
  /** Per endogenous variable, its values after the horizon (first after the horizon first). */
  readonly terminal: readonly (readonly number[])[]
  readonly tolerance: number
  readonly maxIterations: number
}

interface Read {
  readonly k: number
  readonly lag: number
}

// One equation prepared: its endogenous reads, each read's derivative with the reads renamed to lag-0 indexes.
interface Prepared {
  readonly reads: readonly Read[]
  readonly renamed: Expr
  readonly derivatives: readonly (Expr | undefined)[]
}

const prepare = (rhs: Expr): Prepared => {
  const reads: Read[] = []
  const key = new Map<string, number>()
  walk(rhs, (e) => {
    if (e.kind === "endo" && !key.has(`${e.index}:${e.lag}`)) {
      key.set(`${e.index}:${e.lag}`, reads.length)
      reads.push({ k: e.index, lag: e.lag })
    }
  })
  const rename = (e: Expr): Expr => {
    switch (e.kind) {
      case "endo":
        return { kind: "endo", index: key.get(`${e.index}:${e.lag}`)!, lag: 0 }
      case "neg":
        return { kind: "neg", arg: rename(e.arg) }
      case "bin":
        return { ...e, left: rename(e.left), right: rename(e.right) }
      case "call":
        return { ...e, args: e.args.map(rename) }
      case "cond": {
        const t = (x: import("../expr.ts").Test): import("../expr.ts").Test =>
          x.kind === "cmp" ? { ...x, left: rename(x.left), right: rename(x.right) } : x.kind === "not" ? { kind: "not", arg: t(x.arg) } : { kind: x.kind, left: t(x.left), right: t(x.right) }
        return { kind: "cond", test: t(e.test), then: rename(e.then), else: rename(e.else) }
      }
      default:
        return e
    }
  }
  const renamed = rename(rhs)
  return { reads, renamed, derivatives: reads.map((_, q) => partial(renamed, q)) }
}

/** The solver's scratch for one model: prepared equations and the band of its Jacobian. */
export const stackedSolver = (plan: StackedPlan, fail: (t: number, iterations: number, residual: number) => never) => {
  const { T, nEndo: n, nExo: nx, nParam: np } = plan
  const prepared = plan.rhs.map(prepare)
  let maxLag = 0
  let maxLead = 0
  for (const p of prepared) for (const r of p.reads) (maxLag = Math.max(maxLag, r.lag)), (maxLead = Math.max(maxLead, -r.lag))
  const N = T * n
  const lower = Math.min(N - 1, maxLag * n + n - 1)
  const upper = Math.min(N - 1, maxLead * n + n - 1)
  const width = 2 * lower + upper + 1
  // row i holds columns i - lower .. i + upper + lower (room for the fill-in of row interchanges)
  const band = new Float64Array(N * width)
  const F = new Float64Array(N)
  const dx = new Float64Array(N)
  const at = (i: number, c: number): number => i * width + (c - i + lower)

  /** Solves one draw: x (N values, t*n + j) starts at its guess and ends at the solution. */
  return (x: Float64Array, P: Float64Array, pOff: number, X: Float64Array, xOff: number, AF: Float64Array, afOff: number, FX: Uint8Array, FV: Float64Array): number => {
    const params = P.subarray(pOff, pOff + np)
    let t = 0
    const read = (x0: Float64Array): SeriesReader => ({
      endo: (k, lag) => {
        const s = t - lag
        if (s < 0) {
          const h = plan.endoHistory[k]!
          return h[h.length + s]!
        }
        if (s >= T) return plan.terminal[k]![s - T]!
        return x0[s * n + k]!
      },
      exo: (i, lag) => {
        const s = t - lag
        if (s < 0) {
          const h = plan.exoHistory[i]!
          return h[h.length + s]!
        }
        return X[xOff + s * nx + i]!
      },
    })
    const r = read(x)
    // values of an equation's reads at period t, for its derivatives
    const local = new Float64Array(Math.max(1, ...prepared.map((q) => q.reads.length)))
    const localReader: SeriesReader = { endo: (q) => local[q]!, exo: r.exo }
    for (let iteration = 0; ; iteration++) {
      let worst = 0
      let converged = true
      for (t = 0; t < T; t++)
        for (let j = 0; j < n; j++) {
          const i = t * n + j
          const v = FX[i] !== 0 ? x[i]! - FV[i]! : x[i]! - evaluate(plan.rhs[j]!, r, params) - AF[afOff + i]!
          F[i] = v
          const a = Math.abs(v)
          if (!(a <= plan.tolerance * (1 + Math.abs(x[i]!)))) converged = false
          if (!(a <= worst)) worst = a
        }
      if (converged) return iteration
      if (iteration >= plan.maxIterations || !Number.isFinite(worst)) return fail(0, iteration, worst)
      band.fill(0)
      for (t = 0; t < T; t++)
        for (let j = 0; j < n; j++) {
          const i = t * n + j
          band[at(i, i)] = 1
          if (FX[i] !== 0) continue
          const p = prepared[j]!
          p.reads.forEach((rd, q) => (local[q] = r.endo(rd.k, rd.lag)))
          p.reads.forEach((rd, q) => {
            const s = t - rd.lag
            if (s < 0 || s >= T) return
            const d = p.derivatives[q]
            const dv = d === undefined ? NaN : evaluate(d, localReader, params)
            band[at(i, s * n + rd.k)] -= dv
          })
        }
      if (!bandSolve(band, F, dx, N, lower, upper, width)) return fail(0, iteration, worst)
      for (let i = 0; i < N; i++) x[i] = x[i]! - dx[i]!
    }
  }
}

// Solves A dx = F in place (A banded as above), Gaussian elimination with partial pivoting; false when singular.
const bandSolve = (a: Float64Array, F: Float64Array, dx: Float64Array, N: number, lower: number, upper: number, width: number): boolean => {
  const b = Float64Array.from(F)
  const at = (i: number, c: number): number => i * width + (c - i + lower)
  const reach = upper + lower // last column a row can hold after interchanges, relative to the pivot
  for (let c = 0; c < N; c++) {
    const last = Math.min(N - 1, c + lower)
    let p = c
    for (let i = c + 1; i <= last; i++) if (Math.abs(a[at(i, c)]!) > Math.abs(a[at(p, c)]!)) p = i
    if (!(Math.abs(a[at(p, c)]!) > 1e-300)) return false
    const hi = Math.min(N - 1, c + reach)
    if (p !== c) {
      for (let k = c; k <= hi; k++) {
        // columns beyond a row's window are zero in it
        const inP = k - p + lower < width && k - p + lower >= 0
        const inC = k - c + lower < width
        const vp = inP ? a[at(p, k)]! : 0
        const vc = inC ? a[at(c, k)]! : 0
        if (inC) a[at(c, k)] = vp
        if (inP) a[at(p, k)] = vc
      }
      ;[b[c], b[p]] = [b[p]!, b[c]!]
    }
    const pivot = a[at(c, c)]!
    for (let i = c + 1; i <= last; i++) {
      const f = a[at(i, c)]! / pivot
      if (f === 0) continue
      a[at(i, c)] = 0
      for (let k = c + 1; k <= hi; k++) if (k - i + lower < width) a[at(i, k)] = a[at(i, k)]! - f * a[at(c, k)]!
      b[i] = b[i]! - f * b[c]!
    }
  }
  for (let i = N - 1; i >= 0; i--) {
    let s = b[i]!
    const hi = Math.min(N - 1, i + upper + lower)
    for (let k = i + 1; k <= hi; k++) s -= a[at(i, k)]! * dx[k]!
    dx[i] = s / a[at(i, i)]!
  }
  return true
}
