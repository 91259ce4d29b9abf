// Solving one simultaneous block for one period, emitted as JavaScript source for a group
// function of the model's kernel (codegen.ts). One loop serves every method, so each
// right-hand side and each Jacobian entry is emitted exactly once: a pass evaluates the
// equations in sweep order into the block's value locals (Gauss-Seidel updates each unknown
// as it goes), then Newton, when it is the phase, forms the residuals from those values and
// steps with the symbolic Jacobian (exactly one step when the block is linear). When the
// Jacobian is singular, a step is not finite or Newton does not converge, the unknowns are
// restored to the starting point and the same loop goes on as Gauss-Seidel (the fallback costs
// no code of its own); Gauss-Seidel alone when asked. A linear block whose Jacobian is
// constant within a draw (numbers and parameters only, no fixed unknowns) is factored once
// per draw: a small one sparsely in locals, without interchanges while its pivots are large
// enough (each period then costs one residual and a few multiply-adds over its non-zeros),
// otherwise densely with partial pivoting into an inverse (one matrix-vector product). Fixed
// (observed) variables keep their value: Newton gives them an identity row, Gauss-Seidel skips
// them. Other blocks factor each Newton step sparsely in locals when the fill stays small (the
// same threshold pivoting, else the dense factorisation). When some unknown can be fixed, a last pass evaluates the equations at the solution
// (the values the caller's surprise carry needs). Converged: every residual (Newton) or step
// (Gauss-Seidel) within tolerance * (1 + |x|) and every value finite. Non-convergence calls
// the kernel's `fail(block, t, iterations, residual)`, which throws; the residual reported
// for Gauss-Seidel is the largest step of its last sweep. The code allocates nothing: scratch
// arrays come from the group function's closure. Pure.
import { ELIMINATION_LOCALS, emitElimination, emitFactor, emitSubstitute } from "./elimination.ts"

/** Everything the emitter needs to know about a block, as JavaScript snippets. */
export interface BlockSpec {
  /** Position of the block in the model's block order (passed to `fail`). */
  readonly index: number
  /** JavaScript locals holding the block's unknowns; they hold the starting point on entry. */
  readonly unknowns: readonly string[]
  /** Per unknown, the local that receives its equation's right-hand side (left there at the solution when some unknown can be fixed). */
  readonly values: readonly string[]
  /** Per unknown, its equation's right-hand side as an expression of the unknowns. */
  readonly rhs: readonly string[]
  /** Per unknown, what is added to its right-hand side to give its value (add-factor, carry), as " + ..." or "". */
  readonly addend: readonly string[]
  /** jacobian[i][k] = d rhs[i] / d unknowns[k]: an expression, or a number when constant; undefined: no Newton. */
  readonly jacobian: readonly (readonly (string | number)[])[] | undefined
  /** Per unknown, null when never fixed, else the condition under which it is fixed this period and its fixed value. */
  readonly fixed: readonly ({ readonly when: string; readonly value: string } | null)[]
  /**
   * Names of scratch arrays: Float64Arrays a (m*m), inv (m*m), b (m), g (m) and an Int32Array p (m);
   * `solve`, when given, names a denseSolver(m) function in scope, called instead of emitting the elimination.
   */
  readonly scratch: { readonly a: string; readonly inv: string; readonly b: string; readonly g: string; readonly p: string; readonly solve?: string }
  readonly linear: boolean
  /**
   * The Jacobian reads only numbers and parameters and no unknown is ever fixed: with `linear`,
   * the block's Jacobian is inverted once per draw, and `factored` names the boolean local that
   * records whether that succeeded.
   */
  readonly invariant?: {
    readonly factored: string
    /** When given, the inverse and the residuals live in locals named from this prefix (see blockRegisters) instead of scratch arrays. */
    readonly registers?: string
  }
  /**
   * When given (a block without fixed unknowns whose Jacobian is not constant), each Newton step
   * first factors the Jacobian sparsely in locals named from this prefix (see blockTemporaries),
   * when its fill stays small, and falls back to the dense factorisation only when a pivot is too small.
   */
  readonly sparse?: string
  readonly method: "newton" | "gauss-seidel"
  readonly tolerance: number
  readonly maxIterations: number
}

/** Locals the emitted block code assigns (the kernel declares them once, as numbers or booleans). */
export const BLOCK_LOCALS = ["it", "ph", "nv", "dv", "res", ...ELIMINATION_LOCALS] as const
export const BLOCK_FLAGS = ["conv", "sing"] as const

/** Iterations allowed to Gauss-Seidel when it is the fallback of Newton. */
export const fallbackIterations = (maxIterations: number): number => Math.max(maxIterations, 1000)

// true when every unknown is finite: x - x is 0 for a finite x and NaN for an infinite or NaN one
const finite = (unknowns: readonly string[]): string => `${unknowns.map((u) => `(${u} - ${u})`).join(" + ")} === 0`

const lit = (x: number): string => (Object.is(x, -0) ? "-0" : String(x))

const perDraw = (b: BlockSpec): boolean => b.linear && b.invariant !== undefined && b.method === "newton" && b.jacobian !== undefined

/** The statements to run once per draw, before its first period (empty unless the block is inverted per draw). */
export const emitBlockDraw = (b: BlockSpec): string => {
  if (!perDraw(b)) return ""
  const m = b.unknowns.length
  const { a: A, p: Pv, b: B, inv: M } = b.scratch
  const fill = b.unknowns
    .map((_, i) => b.unknowns.map((__, k) => `${A}[${i * m + k}] = ${entry(b.jacobian![i]![k]!, i === k)};`).join(" "))
    .join("\n")
  // column c of the inverse: solve for the unit vector e_c
  const inverse = `for (ec = 0; ec < ${m}; ec++) { for (er = 0; er < ${m}; er++) ${B}[er] = er === ec ? 1 : 0; ${emitSubstitute(m, A, Pv, B).trim()} for (er = 0; er < ${m}; er++) ${M}[er * ${m} + ec] = ${B}[er]; }`
  const pre = b.invariant!.registers
  const load = pre === undefined ? "" : b.unknowns.map((_, i) => b.unknowns.map((__, k) => `${pre}m${i}_${k} = ${M}[${i * m + k}];`).join(" ")).join("\n")
  const dense = `${fill}\n${emitFactor(m, A, Pv, "sing")}\nif (!sing) { ${inverse}\n${load} }\n${b.invariant!.factored} = !sing;`
  if (pre === undefined) return dense
  return `${emitSparseFactor(b, pre)}\nif (${pre}sp === 0) {\n${dense}\n}`
}

/**
 * The sparsity of I - d rhs / d u, with the fill-in of an LU factorisation in the given order:
 * entry [i][k] is true where the factors can be non-zero. Constant zeros are structural.
 */
const luPattern = (b: BlockSpec): boolean[][] => {
  const m = b.unknowns.length
  const nz = b.unknowns.map((_, i) => b.unknowns.map((__, k) => i === k || b.jacobian![i]![k] !== 0))
  for (let k = 0; k < m; k++)
    for (let i = k + 1; i < m; i++) if (nz[i]![k]) for (let j = k + 1; j < m; j++) if (nz[k]![j]) nz[i]![j] = true
  return nz
}

/** Ratio a pivot must reach to the largest entry below it in its column for the factorisation without interchanges. */
export const SPARSE_PIVOT_THRESHOLD = 0.1

/**
 * Per draw, the LU factors of a small constant block Jacobian in locals, without row
 * interchanges and only over its structural non-zeros (and their fill-in), with the reciprocal
 * pivots: a block of a few equations then costs a handful of multiply-adds per period. It is
 * taken only when every pivot is at least SPARSE_PIVOT_THRESHOLD of its column below
 * (threshold pivoting: the multipliers stay below 10 in size); otherwise `<pre>sp` stays 0 and
 * the dense factorisation with partial pivoting is used.
 */
const emitSparseFactor = (b: BlockSpec, pre: string): string => {
  const m = b.unknowns.length
  const nz = luPattern(b)
  const a = (i: number, k: number): string => `${pre}a${i}_${k}`
  const lines: string[] = []
  for (let i = 0; i < m; i++)
    for (let k = 0; k < m; k++) if (nz[i]![k]) lines.push(`${a(i, k)} = ${entry(b.jacobian![i]![k]!, i === k)};`)
  lines.push(`${pre}sp = 1;`)
  for (let k = 0; k < m; k++) {
    const below = Array.from({ length: m - k - 1 }, (_, d) => k + 1 + d).filter((i) => nz[i]![k])
    const col = below.map((i) => `Math.abs(${a(i, k)})`)
    const bound = col.length === 0 ? "0" : col.length === 1 ? col[0]! : `Math.max(${col.join(", ")})`
    lines.push(`if (!(Math.abs(${a(k, k)}) >= ${SPARSE_PIVOT_THRESHOLD} * ${bound} && Math.abs(${a(k, k)}) > 0 && Math.abs(${a(k, k)}) < Infinity)) ${pre}sp = 0;`)
    lines.push(`${pre}r${k} = 1 / ${a(k, k)};`)
    for (const i of below) {
      lines.push(`${a(i, k)} *= ${pre}r${k};`)
      for (let j = k + 1; j < m; j++) if (nz[k]![j]) lines.push(`${a(i, j)} -= ${a(i, k)} * ${a(k, j)};`)
    }
  }
  return lines.join("\n")
}

/** Per period with the sparse factors: u += U^-1 L^-1 (-F(u)), in the residual locals. */
const emitSparseStep = (b: BlockSpec, pre: string, residual: (i: number) => string): string => {
  const m = b.unknowns.length
  const nz = luPattern(b)
  const a = (i: number, k: number): string => `${pre}a${i}_${k}`
  const f = (i: number): string => `${pre}f${i}`
  const lines = b.unknowns.map((_, i) => `${f(i)} = -(${residual(i)});`)
  for (let k = 0; k < m; k++) for (let i = k + 1; i < m; i++) if (nz[i]![k]) lines.push(`${f(i)} -= ${a(i, k)} * ${f(k)};`)
  for (let k = m - 1; k >= 0; k--) {
    const terms = Array.from({ length: m - k - 1 }, (_, d) => k + 1 + d).filter((j) => nz[k]![j]).map((j) => ` - ${a(k, j)} * ${f(j)}`).join("")
    lines.push(terms ? `${f(k)} = (${f(k)}${terms}) * ${pre}r${k};` : `${f(k)} *= ${pre}r${k};`)
  }
  b.unknowns.forEach((u, i) => lines.push(`${u} += ${f(i)};`))
  return lines.join("\n    ")
}

/** Locals a block's emitted code needs beyond BLOCK_LOCALS (its registers, when it has them); the kernel declares them as numbers. */
export const blockRegisters = (b: BlockSpec): string[] => {
  const pre = b.invariant?.registers
  if (pre === undefined || !perDraw(b)) return []
  const m = b.unknowns.length
  const nz = luPattern(b)
  const factors = b.unknowns.flatMap((_, i) => b.unknowns.flatMap((__, k) => (nz[i]![k] ? [`${pre}a${i}_${k}`] : [])))
  return [
    ...Array.from({ length: m }, (_, i) => `${pre}f${i}`),
    ...Array.from({ length: m * m }, (_, i) => `${pre}m${Math.floor(i / m)}_${i % m}`),
    ...factors,
    ...Array.from({ length: m }, (_, k) => `${pre}r${k}`),
    `${pre}sp`,
  ]
}

/** Largest fill of a sparse factorisation, in entries per unknown, for which a step factors sparsely. */
export const SPARSE_FILL = 6

// a sparse per-step factorisation: asked for, Newton, not inverted per draw, and of small fill
const sparseStep = (b: BlockSpec): string | undefined => {
  if (b.sparse === undefined || b.jacobian === undefined || b.method !== "newton" || perDraw(b)) return undefined
  const fill = luPattern(b).reduce((c, row) => c + row.filter(Boolean).length, 0)
  return fill <= SPARSE_FILL * b.unknowns.length ? b.sparse : undefined
}

/** Per-period locals a block's emitted code needs (its sparse factors, when it factors each step sparsely); the kernel declares them as numbers. */
export const blockTemporaries = (b: BlockSpec): string[] => {
  const pre = sparseStep(b)
  if (pre === undefined) return []
  const m = b.unknowns.length
  const nz = luPattern(b)
  return [
    ...Array.from({ length: m }, (_, i) => `${pre}f${i}`),
    ...b.unknowns.flatMap((_, i) => b.unknowns.flatMap((__, k) => (nz[i]![k] ? [`${pre}a${i}_${k}`] : []))),
    ...Array.from({ length: m }, (_, k) => `${pre}r${k}`),
    `${pre}sp`,
  ]
}

// One Jacobian entry of I - d rhs / d u as code.
const entry = (d: string | number, diagonal: boolean): string =>
  typeof d === "number" ? lit((diagonal ? 1 : 0) - d) : `${diagonal ? "1" : "0"} - (${d})`

/** Emits the statements that solve block `b` for the current period. */
export const emitBlock = (b: BlockSpec): string => {
  const m = b.unknowns.length
  const { a: A, b: B, g: G, p: Pv } = b.scratch
  const tol = lit(b.tolerance)
  const newton = b.method === "newton" && b.jacobian !== undefined
  const measure = b.fixed.some((f) => f !== null)
  const save = b.unknowns.map((u, i) => `${G}[${i}] = ${u};`).join(" ")
  // back to the starting point, then Gauss-Seidel in the same loop
  const fallback = `{ ${b.unknowns.map((u, i) => `${u} = ${G}[${i}];`).join(" ")} ph = 0; it = 0; continue; }`
  // the evaluation pass: each right-hand side once; in the Gauss-Seidel phase each unknown takes its new value at once
  const pass = b.unknowns
    .map((u, i) => {
      const f = b.fixed[i]
      const update = `nv = ${b.values[i]}${b.addend[i]}; dv = Math.abs(nv - ${u}); ${u} = nv; if (!(dv <= ${tol} * (1 + Math.abs(nv))) || !(Math.abs(nv) < Infinity)) conv = false; if (!(dv <= res)) res = dv;`
      const gs = f === null ? update : `if (${f.when}) ${u} = ${f.value}; else { ${update} }`
      return `${b.values[i]} = ${b.rhs[i]};${newton ? ` if (ph === 0) { ${gs} }` : ` ${gs}`}`
    })
    .join("\n    ")
  const gaussSeidel = `if (conv) { ${measure ? "ph = 2; continue;" : "break;"} }
    it++; if (it >= ${newton ? fallbackIterations(b.maxIterations) : b.maxIterations}) fail(${b.index}, t, it, res);
    continue;`
  const start = perDraw(b) ? `ph = ${b.invariant!.registers === undefined ? b.invariant!.factored : `${b.invariant!.registers}sp !== 0 || ${b.invariant!.factored}`} ? 1 : 0;` : `ph = ${newton ? 1 : 0};`
  const head = `{
  ${save}
  ${start} it = 0;
  for (;;) {
    conv = true; res = 0;
    ${pass}
    ${measure ? "if (ph === 2) break;\n    " : ""}`
  if (!newton) return `${head}${gaussSeidel}\n  }\n}`

  const residual = (i: number): string => {
    const u = b.unknowns[i]!
    const f = b.fixed[i]
    const free = `${u} - (${b.values[i]}${b.addend[i]})`
    return f === null ? free : `(${f.when} ? ${u} - (${f.value}) : ${free})`
  }
  const after = `if (!(${finite(b.unknowns)})) ${fallback}\n    ${measure ? "ph = 2; continue;" : "break;"}`
  let step: string
  if (perDraw(b)) {
    // Inverted at the start of the draw: u += J^-1 (-F(u)), exact for a linear block.
    const { inv: M } = b.scratch
    const pre = b.invariant!.registers
    const inv = (i: number, k: number): string => (pre === undefined ? `${M}[${i * m + k}]` : `${pre}m${i}_${k}`)
    const f = (i: number): string => (pre === undefined ? `${B}[${i}]` : `${pre}f${i}`)
    const residuals = b.unknowns.map((_, i) => `${f(i)} = -(${residual(i)});`).join("\n    ")
    const product = b.unknowns.map((u, i) => `${u} += ${b.unknowns.map((_, k) => `${inv(i, k)} * ${f(k)}`).join(" + ")};`).join("\n    ")
    step = pre === undefined ? `${residuals}\n    ${product}` : `if (${pre}sp !== 0) {\n    ${emitSparseStep(b, pre, residual)}\n    } else {\n    ${residuals}\n    ${product}\n    }`
    step += `\n    ${after}`
  } else {
    const jac = b.jacobian!
    const fillB = b.unknowns.map((_, i) => `${B}[${i}] = -(${residual(i)});`).join("\n    ")
    // I - J over its structural non-zeros (the rest cleared first); a fixed unknown's row is the identity's
    const fillA = b.unknowns
      .map((_, i) => {
        const free = b.unknowns.flatMap((__, k) => (i === k || jac[i]![k] !== 0 ? [`${A}[${i * m + k}] = ${entry(jac[i]![k]!, i === k)};`] : [])).join(" ")
        const f = b.fixed[i]
        return f === null ? free : `if (${f.when}) ${A}[${i * m + i}] = 1; else { ${free} }`
      })
      .join("\n    ")
    const converged = b.unknowns.map((u, i) => `if (!(Math.abs(${B}[${i}]) <= ${tol} * (1 + Math.abs(${u})))) conv = false;`).join(" ")
    const dense = `for (ei = 0; ei < ${m * m}; ei++) ${A}[ei] = 0;
    ${fillA}
    ${b.scratch.solve === undefined ? emitElimination(m, A, Pv, B, "sing") : `sing = ${b.scratch.solve}(${A}, ${Pv}, ${B});`}
    if (sing) ${fallback}
    ${b.unknowns.map((u, i) => `${u} += ${B}[${i}];`).join(" ")}`
    const pre = sparseStep(b)
    // sparsely when every pivot is large enough, else densely with partial pivoting
    const solve = pre === undefined ? dense : `${emitSparseFactor(b, pre)}
    if (${pre}sp !== 0) {
    ${emitSparseStep(b, pre, (i) => `-${B}[${i}]`)}
    } else {
    ${dense}
    }`
    // Linear: the Jacobian does not depend on the unknowns, so one step from any point is the solution.
    step = b.linear
      ? `${fillB}\n    ${solve}\n    ${after}`
      : `${fillB}
    conv = true; ${converged}
    if (conv) break;
    if (it === ${b.maxIterations}) ${fallback}
    ${solve}
    it++;`
  }
  return `${head}if (ph === 0) {
    ${gaussSeidel}
    }
    ${step}
  }
}`
}
