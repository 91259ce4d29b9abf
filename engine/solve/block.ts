// Solving one simultaneous block for one period, emitted as JavaScript source for the model's
// kernel: Newton with the symbolic Jacobian (exactly one step when the block is linear),
// falling back to Gauss-Seidel from the same starting point when the Jacobian is singular or
// Newton does not converge; Gauss-Seidel alone when asked. Fixed (observed) variables keep
// their value: Newton gives them an identity row, Gauss-Seidel skips them. Non-convergence
// calls the kernel's `fail(block, t, iterations, residual)`, which throws. The code
// allocates nothing: scratch arrays come from the kernel's closure. Pure.
import { ELIMINATION_LOCALS, emitElimination } from "./elimination.ts"

/** Everything the emitter needs to know about a block, as JavaScript snippets. */
export interface BlockSpec {
  /** Position of the block in the model's block order (passed to `fail`). */
  readonly index: number
  /** JavaScript locals holding the block's unknowns; they hold the starting point on entry. */
  readonly unknowns: readonly string[]
  /** Per unknown, the value its equation gives it (right-hand side + add-factor + carry) as an expression. */
  readonly rhs: readonly string[]
  /** jacobian[i][k] = d rhs[i] / d unknowns[k]: an expression, or a number when constant; undefined: no Newton. */
  readonly jacobian: readonly (readonly (string | number)[])[] | undefined
  /** Per unknown, null when never fixed, else the condition under which it is fixed this period and its fixed value. */
  readonly fixed: readonly ({ readonly when: string; readonly value: string } | null)[]
  /** Names of scratch Float64Arrays: a (m*m), b (m), g (m). */
  readonly scratch: { readonly a: string; readonly b: string; readonly g: string }
  readonly linear: boolean
  readonly method: "newton" | "gauss-seidel"
  readonly tolerance: number
  readonly maxIterations: number
}

/** Locals the emitted block code assigns (the kernel declares them once, as numbers or booleans). */
export const BLOCK_LOCALS = ["it", "nv", "dv", "res", ...ELIMINATION_LOCALS] as const
export const BLOCK_FLAGS = ["conv", "sing", "ok"] as const

/** Iterations allowed to Gauss-Seidel when it is the fallback of Newton. */
export const fallbackIterations = (maxIterations: number): number => Math.max(maxIterations, 1000)

const lit = (x: number): string => (Object.is(x, -0) ? "-0" : String(x))

/** Emits the statements that solve block `b` for the current period. */
export const emitBlock = (b: BlockSpec): string => {
  const m = b.unknowns.length
  const { a: A, b: B, g: G } = b.scratch
  const tol = lit(b.tolerance)
  const save = b.unknowns.map((u, i) => `${G}[${i}] = ${u};`).join(" ")
  const restore = b.unknowns.map((u, i) => `${u} = ${G}[${i}];`).join(" ")
  const residual = (i: number): string => {
    const u = b.unknowns[i]!
    const f = b.fixed[i]
    const free = `${u} - (${b.rhs[i]})`
    return f === null ? free : `(${f.when} ? ${u} - (${f.value}) : ${free})`
  }
  // max |F| at the current point, into `res` (used for the error report)
  const residualNorm = `res = 0; ${b.unknowns.map((_, i) => `dv = Math.abs(${residual(i)}); if (!(dv <= res)) res = dv;`).join(" ")}`

  const gaussSeidel = (maxIt: number): string => {
    const sweep = b.unknowns
      .map((u, i) => {
        const f = b.fixed[i]
        const update = `nv = ${b.rhs[i]}; dv = nv - ${u}; ${u} = nv; if (!(Math.abs(dv) <= ${tol} * (1 + Math.abs(nv))) || !(Math.abs(nv) < Infinity)) conv = false;`
        return f === null ? update : `if (${f.when}) ${u} = ${f.value}; else { ${update} }`
      })
      .join("\n    ")
    return `
  for (it = 1; ; it++) {
    conv = true;
    ${sweep}
    if (conv) break;
    if (it >= ${maxIt}) { ${residualNorm} fail(${b.index}, t, it, res); }
  }`
  }

  if (b.method === "gauss-seidel" || b.jacobian === undefined) return `{${gaussSeidel(b.maxIterations)}\n}`

  const jac = b.jacobian
  const fillB = b.unknowns.map((_, i) => `${B}[${i}] = -(${residual(i)});`).join("\n    ")
  const fillA = b.unknowns
    .map((_, i) => {
      const free = b.unknowns
        .map((__, k) => {
          const d = jac[i]![k]!
          return `${A}[${i * m + k}] = ${typeof d === "number" ? lit((i === k ? 1 : 0) - d) : `${i === k ? "1" : "0"} - (${d})`};`
        })
        .join(" ")
      const f = b.fixed[i]
      if (f === null) return free
      const identity = b.unknowns.map((__, k) => `${A}[${i * m + k}] = ${i === k ? 1 : 0};`).join(" ")
      return `if (${f.when}) { ${identity} } else { ${free} }`
    })
    .join("\n    ")
  const step = b.unknowns.map((u, i) => `${u} += ${B}[${i}];`).join(" ")
  const converged = b.unknowns.map((u, i) => `if (!(Math.abs(${B}[${i}]) <= ${tol} * (1 + Math.abs(${u})))) conv = false;`).join(" ")

  if (b.linear) {
    // Linear block: the Jacobian does not depend on the unknowns, so one Newton step from any point is the solution.
    return `{
  ${save}
  ${fillB}
  ${fillA}
  ${emitElimination(m, A, B, "sing")}
  ok = !sing; if (ok) { ${step} ${b.unknowns.map((u) => `if (!(Math.abs(${u}) < Infinity)) ok = false;`).join(" ")} }
  if (!ok) { ${restore} ${gaussSeidel(fallbackIterations(b.maxIterations))} }
}`
  }
  return `{
  ${save}
  ok = false;
  for (it = 0; it <= ${b.maxIterations}; it++) {
    ${fillB}
    conv = true; ${converged}
    if (conv) { ok = true; break; }
    if (it === ${b.maxIterations}) break;
    ${fillA}
    ${emitElimination(m, A, B, "sing")}
    if (sing) break;
    ${step}
  }
  if (!ok) { ${restore} ${gaussSeidel(fallbackIterations(b.maxIterations))} }
}`
}
