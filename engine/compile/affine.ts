// Whether a model's solution is affine in its additive equation errors with coefficients fixed
// within a draw: every equation is affine in the endogenous values it reads (current and
// lagged), each coefficient a function of parameters and numbers only. Then, once a draw's
// parameters, exogenous values and shocks are fixed, its path is path0 + J e with J the same
// in every period (the impulse response to an error does not depend on when it occurs), which
// is what closed-form conditioning on releases needs (engine/project/condition.ts). Read from the
// expression trees, exactly, with no numerical test. Pure.
import type { Expr } from "./expr.ts"

/** constant: parameters and numbers only; data: also exogenous values; affine: affine in endogenous values; other: anything else. */
type Degree = "constant" | "data" | "affine" | "other"

/** Parameters and exogenous series that count as linear sources (like endogenous values) in `degree`. */
interface Linear {
  readonly params: ReadonlySet<number>
  readonly exo: ReadonlySet<number>
}
const NONE: Linear = { params: new Set(), exo: new Set() }

const degree = (e: Expr, lin: Linear = NONE): Degree => {
  switch (e.kind) {
    case "num":
      return "constant"
    case "param":
      return lin.params.has(e.index) ? "affine" : "constant"
    case "exo":
      return lin.exo.has(e.index) ? "affine" : "data"
    case "endo":
      return "affine"
    case "neg":
      return degree(e.arg, lin)
    case "cond":
      // a conditional switches between expressions: not affine as a whole
      return "other"
    case "call": {
      const ds = e.args.map((a) => degree(a, lin))
      if (ds.every((d) => d === "constant")) return "constant"
      return ds.some((d) => d === "affine" || d === "other") ? "other" : "data"
    }
    case "bin": {
      const l = degree(e.left, lin)
      const r = degree(e.right, lin)
      if (l === "other" || r === "other") return "other"
      const hasEndo = l === "affine" || r === "affine"
      switch (e.op) {
        case "+":
        case "-":
          return hasEndo ? "affine" : l === "data" || r === "data" ? "data" : "constant"
        case "*":
          if (!hasEndo) return l === "data" || r === "data" ? "data" : "constant"
          // an endogenous value times a per-draw constant only (times data or itself is not affine with fixed coefficients)
          return (l === "affine" && r === "constant") || (r === "affine" && l === "constant") ? "affine" : "other"
        case "/":
          if (r === "affine") return "other"
          if (l === "affine") return r === "constant" ? "affine" : "other"
          return l === "data" || r === "data" ? "data" : "constant"
        case "^":
          if (hasEndo) return l === "affine" && e.right.kind === "num" && e.right.value === 1 ? "affine" : "other"
          return l === "data" || r === "data" ? "data" : "constant"
      }
    }
  }
}

/** True when every right-hand side is affine in the endogenous values with per-draw constant coefficients. */
export const affineInErrors = (rhs: readonly Expr[]): boolean => rhs.every((e) => degree(e) !== "other")

/**
 * True when every right-hand side is affine jointly in the endogenous values and the given
 * parameters and exogenous series, every coefficient a function of the other parameters and
 * numbers only: then the path is affine in those parameters' and series' values too.
 */
export const affineIn = (rhs: readonly Expr[], params: ReadonlySet<number>, exo: ReadonlySet<number>): boolean =>
  rhs.every((e) => degree(e, { params, exo }) !== "other")
