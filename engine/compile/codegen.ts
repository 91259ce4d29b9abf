// JavaScript kernel generation: one function per model (and per set of observed variables)
// that loops over draws and periods and solves the blocks in order, emitted from the
// expression trees only (never from equation text) and instantiated with `new Function`.
// Every name is resolved at compile time: endogenous values of the current period are locals
// v<j>, parameters locals p<i> loaded once per draw, lags direct reads of `out` (or of the
// packed history array H in the first periods), exogenous values direct reads of X;
// subexpressions of parameters and numbers only are computed once per draw (locals k<i>).
// Scratch arrays for Newton are allocated here, once; the kernel allocates nothing per draw or
// period. Operations follow the equation's tree in order, so results are mathjs's to the bit,
// except powers x^3 and x^4 (and negative ones), emitted as products (within an ulp or two).
// Layout (see CompiledModel): out/AF[d*T*n + t*n + j], X[d*T*nx + t*nx + i], P[d*np + i],
// FX/FV[t*n + j]. Pure (builds functions; no I/O).
import { BLOCK_FLAGS, BLOCK_LOCALS, blockRegisters, emitBlock, emitBlockDraw, type BlockSpec } from "./solve/block.ts"
import { maxLag, walk, type Expr, type Test } from "./expr.ts"
import type { Block } from "./graph.ts"
import { FUNCTIONS } from "./whitelist.ts"

/** What the code generator needs: sizes, equations, histories, block order and solver settings. */
export interface KernelPlan {
  readonly T: number
  readonly nEndo: number
  readonly nExo: number
  readonly nParam: number
  readonly rhs: readonly Expr[]
  readonly endoHistory: readonly (readonly number[])[]
  readonly exoHistory: readonly (readonly number[])[]
  readonly blocks: readonly Block[]
  /** Per block, its Jacobian (rows and columns in the block's variable order) when it is solved by Newton. */
  readonly jacobians: readonly (readonly (readonly Expr[])[] | undefined)[]
  readonly linear: readonly boolean[]
  readonly decay: number
  readonly method: "newton" | "gauss-seidel"
  readonly tolerance: number
  readonly maxIterations: number
}

/** A generated kernel: solves draws [from, to) into out. Throws through `fail` on non-convergence. */
export type Kernel = (
  from: number,
  to: number,
  out: Float64Array,
  P: Float64Array,
  X: Float64Array,
  AF: Float64Array,
  FX: Uint8Array,
  FV: Float64Array,
) => void

/** Called by a kernel when a block does not converge; must throw. */
export type FailHandler = (block: number, t: number, iterations: number, residual: number) => never

const lit = (x: number): string => {
  if (Object.is(x, -0)) return "(-0)"
  const s = String(x)
  return x < 0 ? `(${s})` : s
}

// Largest linear block whose per-draw inverse is kept in locals rather than a scratch array.
const REGISTER_LIMIT = 8

// Source size of the loop bodies above which one loop (with branchy lag reads) replaces two.
const SINGLE_LOOP_SOURCE = 24_000

const SIMPLE = /^[A-Za-z_$][\w$]*$|^\d[\d.e+]*$/

type Mode = "prefix" | "main"

/** True when `e` reads only parameters and numbers: its value is fixed for a whole draw. */
const perDraw = (e: Expr): boolean => {
  let only = true
  walk(e, (x) => {
    if (x.kind === "endo" || x.kind === "exo") only = false
  })
  return only
}

/** Where emitExpr puts its names. `hoist`, when given, turns a per-draw subexpression's code into a local computed once per draw. */
export interface EmitContext {
  readonly mode: Mode
  readonly n: number
  readonly nx: number
  readonly hEndo: readonly number[]
  readonly hExo: readonly number[]
  temp(): string
  hoist?(code: string): string
}

/** Emits a JavaScript expression for `e`. Temporaries (for integer powers) are named by `temp()`. */
export const emitExpr = (e: Expr, ctx: EmitContext): string => {
  const go = (x: Expr): string => {
    if (ctx.hoist !== undefined && (x.kind === "bin" || x.kind === "neg" || x.kind === "call") && perDraw(x)) {
      const hoist = ctx.hoist
      const inner = emitExpr(x, { ...ctx, hoist: undefined })
      return hoist(inner)
    }
    switch (x.kind) {
      case "num":
        return lit(x.value)
      case "param":
        return `p${x.index}`
      case "endo": {
        if (x.lag === 0) return `v${x.index}`
        const read = `out[r + ${x.index - x.lag * ctx.n}]`
        return ctx.mode === "main" ? read : `(t >= ${x.lag} ? ${read} : H[${ctx.hEndo[x.index]! - x.lag} + t])`
      }
      case "exo": {
        const read = `X[xr + ${x.index - x.lag * ctx.nx}]`
        if (x.lag === 0 || ctx.mode === "main") return read
        return `(t >= ${x.lag} ? ${read} : H[${ctx.hExo[x.index]! - x.lag} + t])`
      }
      case "neg":
        return `(-${go(x.arg)})`
      case "bin": {
        if (x.op === "^" && x.right.kind === "num" && Number.isInteger(x.right.value) && Math.abs(x.right.value) <= 4) {
          const k = x.right.value
          if (k === 0) return "1"
          const base = go(x.left)
          if (k === 1 || k === -1) return k === 1 ? base : `(1 / ${base})`
          const q = SIMPLE.test(base) ? base : ctx.temp()
          const bind = q === base ? "" : `${q} = ${base}, `
          const abs = Math.abs(k)
          const power = abs === 2 ? `${q} * ${q}` : abs === 3 ? `${q} * ${q} * ${q}` : `(${q} * ${q}) * (${q} * ${q})`
          return k > 0 ? `(${bind}${power})` : `(${bind}1 / (${power}))`
        }
        if (x.op === "^") return `Math.pow(${go(x.left)}, ${go(x.right)})`
        return `(${go(x.left)} ${x.op} ${go(x.right)})`
      }
      case "call": {
        const js = x.fn === "sign" ? "Math.sign" : FUNCTIONS[x.fn]!.js
        return `${js}(${x.args.map(go).join(", ")})`
      }
      case "cond":
        return `(${test(x.test)} ? ${go(x.then)} : ${go(x.else)})`
    }
  }
  const test = (t: Test): string =>
    t.kind === "cmp"
      ? `(${go(t.left)} ${t.op === "==" ? "===" : t.op === "!=" ? "!==" : t.op} ${go(t.right)})`
      : t.kind === "not"
        ? `(!${test(t.arg)})`
        : `(${test(t.left)} ${t.kind === "and" ? "&&" : "||"} ${test(t.right)})`
  return go(e)
}

/** Generates the kernel for the given set of observed (sometimes fixed) endogenous variables. */
export const buildKernel = (plan: KernelPlan, observed: ReadonlySet<number>, fail: FailHandler): { kernel: Kernel; source: string } => {
  const { T, nEndo: n, nExo: nx, nParam: np } = plan
  // Packed history: for variable j, H[hEndo[j] + t - k] is its value at period t - k < 0.
  const packed: number[] = []
  const hEndo = plan.endoHistory.map((h) => (packed.push(...h), packed.length))
  const hExo = plan.exoHistory.map((h) => (packed.push(...h), packed.length))
  let temps = 0
  const temp = (): string => `q${temps++}`
  // Subexpressions of parameters and numbers only, computed once per draw (same operations, same bits).
  const hoisted = new Map<string, string>()
  const hoist = (code: string): string => {
    let name = hoisted.get(code)
    if (name === undefined) {
      name = `k${hoisted.size}`
      hoisted.set(code, name)
    }
    return name
  }
  const usedParams = new Set<number>()
  for (const e of plan.rhs)
    walk(e, (x) => {
      if (x.kind === "param") usedParams.add(x.index)
    })
  const prefix = Math.min(plan.rhs.reduce((m, e) => Math.max(m, maxLag(e)), 0), T)
  const decay = lit(plan.decay)
  const scratch: (Float64Array | Int32Array)[] = []
  const scratchNames: string[] = []
  const newScratch = (size: number, int = false): string => {
    scratch.push(int ? new Int32Array(size) : new Float64Array(size))
    const name = `S${scratch.length - 1}`
    scratchNames.push(name)
    return name
  }
  const blockScratch = plan.blocks.map((b) =>
    b.simultaneous
      ? { a: newScratch(b.variables.length ** 2), inv: newScratch(b.variables.length ** 2), b: newScratch(b.variables.length), g: newScratch(b.variables.length), p: newScratch(b.variables.length, true) }
      : undefined,
  )
  // A block's Jacobian is constant within a draw when it reads only numbers and parameters and none of its variables is observed.
  const invariant = plan.blocks.map((b, bi) => {
    const jac = plan.jacobians[bi]
    return b.simultaneous && jac !== undefined && !b.variables.some((j) => observed.has(j)) && jac.every((row) => row.every(perDraw))
  })
  const spec = (bi: number, mode: Mode): BlockSpec => {
    const b = plan.blocks[bi]!
    const ctx = { mode, n, nx, hEndo, hExo, temp, hoist }
    const rhs = (j: number): string => emitExpr(plan.rhs[j]!, ctx)
    return {
      index: bi,
      unknowns: b.variables.map((j) => `v${j}`),
      rhs: b.variables.map((j) => `${rhs(j)} + AF[r + ${j}]${observed.has(j) ? ` + c${j}` : ""}`),
      // folded entries: a constant is a number, never the negation of one
      jacobian: plan.jacobians[bi]?.map((row) => row.map((d) => (d.kind === "num" ? d.value : emitExpr(d, ctx)))),
      fixed: b.variables.map((j) => (observed.has(j) ? { when: `FX[ft + ${j}] !== 0`, value: `FV[ft + ${j}]` } : null)),
      scratch: blockScratch[bi]!,
      linear: plan.linear[bi]!,
      invariant: invariant[bi] ? { factored: `lu${bi}`, registers: b.variables.length <= REGISTER_LIMIT ? `b${bi}` : undefined } : undefined,
      method: plan.method,
      tolerance: plan.tolerance,
      maxIterations: plan.maxIterations,
    }
  }
  const drawPrologue = plan.blocks.map((b, bi) => (b.simultaneous ? emitBlockDraw(spec(bi, "main")) : "")).join("\n")
  const factoredFlags = plan.blocks.flatMap((_, bi) => (invariant[bi] ? [`lu${bi}`] : []))
  const registers = plan.blocks.flatMap((b, bi) => (b.simultaneous ? blockRegisters(spec(bi, "main")) : []))

  const body = (mode: Mode): string => {
    const ctx = { mode, n, nx, hEndo, hExo, temp, hoist }
    const rhs = (j: number): string => emitExpr(plan.rhs[j]!, ctx)
    const lines: string[] = []
    plan.blocks.forEach((b, bi) => {
      if (!b.simultaneous) {
        const j = b.variables[0]!
        if (observed.has(j)) {
          lines.push(
            `if (FX[ft + ${j}] !== 0) { v${j} = FV[ft + ${j}]; c${j} = (v${j} - ${rhs(j)} - AF[r + ${j}]) * ${decay}; } else { v${j} = ${rhs(j)} + AF[r + ${j}] + c${j}; c${j} *= ${decay}; }`,
          )
        } else lines.push(`v${j} = ${rhs(j)} + AF[r + ${j}];`)
        lines.push(`out[r + ${j}] = v${j};`)
        return
      }
      lines.push(emitBlock(spec(bi, mode)))
      for (const j of b.variables) {
        if (observed.has(j))
          lines.push(`if (FX[ft + ${j}] !== 0) c${j} = (v${j} - ${rhs(j)} - AF[r + ${j}]) * ${decay}; else c${j} *= ${decay};`)
        lines.push(`out[r + ${j}] = v${j};`)
      }
    })
    return lines.join("\n      ")
  }

  // The first `prefix` periods may reach into the history (branchy lag reads), the rest cannot.
  // Two copies of the body double the code; past the size V8 still optimises, keep one loop.
  let prefixBody = prefix > 0 ? body("prefix") : ""
  let mainBody = prefix < T ? body("main") : ""
  let split = prefix
  if (prefixBody.length + mainBody.length > SINGLE_LOOP_SOURCE) {
    prefixBody = body("prefix")
    mainBody = ""
    split = T
  }
  const all = Array.from({ length: n }, (_, j) => j)
  const blockVars = plan.blocks.filter((b) => b.simultaneous).flatMap((b) => b.variables)
  const guess = (j: number): string => {
    const h = plan.endoHistory[j]!
    return lit(h.length > 0 ? h[h.length - 1]! : 1)
  }
  const decl = (names: readonly string[], init: string): string => (names.length ? `let ${names.map((x) => `${x} = ${init}`).join(", ")};` : "")
  const source = `"use strict";
const ${scratchNames.map((s, i) => `${s} = S[${i}]`).concat(["_unused = 0"]).join(", ")};
return function kernel(D0, D, out, P, X, AF, FX, FV) {
  let o = 0, xo = 0, r = 0, xr = 0, ft = 0, t = 0;
  ${decl(all.map((j) => `v${j}`), "0.0")}
  ${decl([...usedParams].map((i) => `p${i}`), "0.0")}
  ${decl([...observed].map((j) => `c${j}`), "0.0")}
  ${decl(Array.from({ length: temps }, (_, i) => `q${i}`), "0.0")}
  ${decl([...hoisted.values()], "0.0")}
  ${decl(registers, "0.0")}
  ${blockVars.length ? decl([...BLOCK_LOCALS], "0") + " " + decl([...BLOCK_FLAGS, ...factoredFlags], "false") : ""}
  for (let d = D0; d < D; d++) {
    o = d * ${T * n}; xo = d * ${T * nx};
    ${[...usedParams].map((i) => `p${i} = P[d * ${np} + ${i}];`).join(" ")}
    ${[...hoisted].map(([code, name]) => `${name} = ${code};`).join(" ")}
    ${[...observed].map((j) => `c${j} = 0.0;`).join(" ")}
    ${blockVars.map((j) => `v${j} = ${guess(j)};`).join(" ")}
    ${drawPrologue}
    ${split > 0 ? `for (t = 0; t < ${split}; t++) {
      r = o + t * ${n}; xr = xo + t * ${nx}; ft = t * ${n};
      ${prefixBody}
    }` : ""}
    ${split < T ? `for (t = ${split}; t < ${T}; t++) {
      r = o + t * ${n}; xr = xo + t * ${nx}; ft = t * ${n};
      ${mainBody}
    }` : ""}
  }
};`
  // The temporaries are counted while emitting the bodies, so the declarations above are complete.
  const factory = new Function("H", "S", "fail", source) as (H: Float64Array, S: (Float64Array | Int32Array)[], fail: FailHandler) => Kernel
  return { kernel: factory(Float64Array.from(packed), scratch, fail), source }
}
