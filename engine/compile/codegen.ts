// JavaScript kernel generation: per model (and per set of observed variables) a kernel that
// loops over batches of draws solved side by side (lanes, see lanesFor) and calls small
// generated group functions that solve their blocks period by period for one draw (groups.ts
// decides the cut), emitted from the expression trees only
// (never from equation text) and instantiated with `new Function`. Each group function stays
// small enough for V8's optimising tier whatever the model's size. Names are resolved at
// compile time: a group's own current values are locals v<j>, other current values direct
// reads of `out`, lags direct reads of the working array W (per lane, one draw: the history
// rows, then the horizon, for the variables some equation lags), exogenous values direct reads
// of X (of WX, the lane's draw's values after their history, when an equation lags one),
// parameters locals p<i>; subexpressions of parameters and numbers only are computed once per
// draw (locals k<i>, kept in the lane's part of the group's state array K when the group is
// called period by period). Lags read
// earlier rows in every period, with no branch. Every right-hand side is emitted once.
// Scratch arrays are allocated here, once; the kernel allocates nothing per draw or period.
// Operations follow the equation's tree in order, so results are mathjs's to the bit, except
// powers x^3 and x^4 (and negative ones), emitted as products (within an ulp or two). Layout
// (see CompiledModel): out/AF[d*T*n + t*n + j], X[d*T*nx + t*nx + i], P[d*np + i],
// FX/FV[t*n + j]. Pure (builds functions; no I/O).
import { denseSolver } from "./solve/elimination.ts"
import { BLOCK_FLAGS, BLOCK_LOCALS, blockRegisters, blockTemporaries, emitBlock, emitBlockDraw, type BlockSpec } from "./solve/block.ts"
import { walk, type Expr, type Test } from "./expr.ts"
import type { Block } from "./graph.ts"
import { blockCost, groupBlocks, segments } from "./groups.ts"
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

const SIMPLE = /^[A-Za-z_$][\w$]*$|^\d[\d.e+]*$/

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
  /** The code reading endogenous variable `index` `lag` periods back (0: this period). */
  endo(index: number, lag: number): string
  /** The code reading exogenous series `index` `lag` periods back. */
  exo(index: number, lag: number): string
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
      case "endo":
        return ctx.endo(x.index, x.lag)
      case "exo":
        return ctx.exo(x.index, x.lag)
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

/** Sizes, and the rows before the horizon in the working arrays: endogenous (at least one, the starting point of blocks) and exogenous (none: X is read directly). */
interface Layout {
  readonly T: number
  readonly n: number
  readonly nx: number
  readonly np: number
  readonly LW: number
  readonly LX: number
  /** Endogenous variables some equation reads with a lag: they are kept in W. */
  readonly lagged: ReadonlySet<number>
  /** Draws solved side by side, each in its lane of W, WX, K and C (see `lanesFor`). */
  readonly lanes: number
}

// Values of the working array W, over all lanes, at most: 8 MB.
const LANE_VALUES = 1 << 20
const MAX_LANES = 8

/**
 * Draws solved side by side: the groups of a segment called period by period run each period
 * for up to MAX_LANES draws in turn, each draw in a lane of its own working arrays, so a large
 * model's code is fetched once per period for several draws rather than for each (at 5,000
 * equations it is far larger than the processor's caches). Each draw's operations are the
 * same, in the same order: results do not depend on the lanes.
 */
const lanesFor = (LW: number, T: number, n: number): number => Math.max(1, Math.min(MAX_LANES, Math.floor(LANE_VALUES / ((LW + T) * n))))

/** A block variable's starting point in the first period: its last history value, else 1. */
const guess = (plan: KernelPlan, j: number): number => {
  const h = plan.endoHistory[j]!
  return h.length > 0 ? h[h.length - 1]! : 1
}

type Scratch = Float64Array | Int32Array

const declare = (names: readonly string[], init: string): string => (names.length ? `let ${names.map((x) => `${x} = ${init}`).join(", ")};` : "")

/**
 * One group function's source: solves the group's blocks for periods [t0, t1) of draw d;
 * `interleaved` when it is called period by period (its per-draw locals and carries then live
 * in K and C between calls).
 */
const emitGroup = (plan: KernelPlan, gi: number, blockIds: readonly number[], observed: ReadonlySet<number>, L: Layout, interleaved: boolean): { source: string; scratch: Scratch[]; solvers: ((a: Float64Array, p: Int32Array, b: Float64Array) => boolean)[]; state: number } => {
  const { T, n, nx, np, LW, LX, lagged } = L
  // every value goes to out; a lagged one also to W, where later periods read it
  const store = (j: number): string => `out[a + ${j}] = v${j};${lagged.has(j) ? ` W[r + ${j}] = v${j};` : ""}`
  const members = new Set(blockIds.flatMap((bi) => plan.blocks[bi]!.variables))
  let temps = 0
  const hoisted = new Map<string, string>()
  const params = new Set<number>()
  const ctx: EmitContext = {
    endo: (j, lag) => (lag > 0 ? `W[r + ${j - lag * n}]` : members.has(j) ? `v${j}` : `out[a + ${j}]`),
    exo: (i, lag) => `${LX > 0 ? "WX" : "X"}[xr + ${i - lag * nx}]`,
    temp: () => `q${temps++}`,
    hoist: (code) => {
      let name = hoisted.get(code)
      if (name === undefined) hoisted.set(code, (name = `k${hoisted.size}`))
      return name
    },
  }
  const emit = (e: Expr): string => {
    walk(e, (x) => {
      if (x.kind === "param") params.add(x.index)
    })
    return emitExpr(e, ctx)
  }
  const scratch: Scratch[] = []
  const newScratch = (size: number, int = false): string => {
    scratch.push(int ? new Int32Array(size) : new Float64Array(size))
    return `S${scratch.length - 1}`
  }
  const solvers: ((a: Float64Array, p: Int32Array, b: Float64Array) => boolean)[] = []
  const solver = (m: number): string => {
    solvers.push(denseSolver(m))
    return `L${solvers.length - 1}`
  }
  const decay = lit(plan.decay)
  const carry = (j: number): string => `if (FX[ft + ${j}] !== 0) c${j} = (v${j} - e${j} - AF[a + ${j}]) * ${decay}; else c${j} *= ${decay};`
  const values: string[] = []
  const prologue: string[] = []
  const perDrawLocals: string[] = []
  const flags: string[] = []
  const lines: string[] = []
  for (const bi of blockIds) {
    const b = plan.blocks[bi]!
    if (!b.simultaneous) {
      const j = b.variables[0]!
      if (observed.has(j)) {
        values.push(`e${j}`)
        lines.push(`e${j} = ${emit(plan.rhs[j]!)}; if (FX[ft + ${j}] !== 0) { v${j} = FV[ft + ${j}]; c${j} = (v${j} - e${j} - AF[a + ${j}]) * ${decay}; } else { v${j} = e${j} + AF[a + ${j}] + c${j}; c${j} *= ${decay}; }`)
      } else lines.push(`v${j} = ${emit(plan.rhs[j]!)} + AF[a + ${j}];`)
      lines.push(store(j))
      continue
    }
    const m = b.variables.length
    const jac = plan.jacobians[bi]
    // constant within a draw: numbers and parameters only, and none of its variables observed
    const invariant = jac !== undefined && !b.variables.some((j) => observed.has(j)) && jac.every((row) => row.every(perDraw))
    const spec: BlockSpec = {
      index: bi,
      unknowns: b.variables.map((j) => `v${j}`),
      values: b.variables.map((j) => `e${j}`),
      rhs: b.variables.map((j) => emit(plan.rhs[j]!)),
      addend: b.variables.map((j) => ` + AF[a + ${j}]${observed.has(j) ? ` + c${j}` : ""}`),
      // folded entries: a constant is a number, never the negation of one
      jacobian: jac?.map((row) => row.map((d) => (d.kind === "num" ? d.value : emit(d)))),
      fixed: b.variables.map((j) => (observed.has(j) ? { when: `FX[ft + ${j}] !== 0`, value: `FV[ft + ${j}]` } : null)),
      scratch: { a: newScratch(m * m), inv: newScratch(m * m), b: newScratch(m), g: newScratch(m), p: newScratch(m, true), solve: solver(m) },
      linear: plan.linear[bi]!,
      invariant: invariant ? { factored: `lu${bi}`, registers: m <= REGISTER_LIMIT ? `b${bi}` : undefined } : undefined,
      sparse: b.variables.some((j) => observed.has(j)) ? undefined : `b${bi}`,
      method: plan.method,
      tolerance: plan.tolerance,
      maxIterations: plan.maxIterations,
    }
    values.push(...spec.values, ...blockTemporaries(spec))
    const draw = emitBlockDraw(spec)
    if (draw !== "") {
      prologue.push(draw)
      perDrawLocals.push(...blockRegisters(spec))
      flags.push(`lu${bi}`)
    }
    // the starting point: last period's solution (or, in the first period, the history or 1)
    lines.push(b.variables.map((j) => (lagged.has(j) ? `v${j} = W[r + ${j - n}];` : `v${j} = t > 0 ? out[a + ${j - n}] : ${lit(guess(plan, j))};`)).join(" "))
    lines.push(emitBlock(spec))
    for (const j of b.variables) {
      if (observed.has(j)) lines.push(carry(j))
      lines.push(store(j))
    }
  }
  // the hoisted subexpressions are known once the bodies are emitted
  const constants = [...hoisted.values()]
  const kept = [...constants, ...perDrawLocals]
  const carries = [...members].filter((j) => observed.has(j)).map((j) => `c${j}`)
  const keep = interleaved ? kept.map((x, i) => `K[kl + ${i}] = ${x};`).concat(flags.map((f, i) => `K[kl + ${kept.length + i}] = ${f} ? 1 : 0;`)) : []
  const load = kept.map((x, i) => `${x} = K[kl + ${i}];`).concat(flags.map((f, i) => `${f} = K[kl + ${kept.length + i}] !== 0;`))
  const state = kept.length + flags.length
  const paramNames = [...params].sort((x, y) => x - y)
  const simultaneous = blockIds.some((bi) => plan.blocks[bi]!.simultaneous)
  const source = `"use strict";
${scratch.length ? `const ${scratch.map((_, i) => `S${i} = S[${i}]`).join(", ")};` : ""}
${solvers.length ? `const ${solvers.map((_, i) => `L${i} = L[${i}]`).join(", ")};` : ""}
return function group${gi}(d, lane, t0, t1, out, P, X, AF, FX, FV) {
  let t = 0, r = 0, xr = 0, a = 0, ft = 0;
  const ad = d * ${T * n}, xd = ${LX > 0 ? `lane * ${(LX + T) * nx}` : `d * ${T * nx}`}, wl = lane * ${(LW + T) * n}, kl = lane * ${state}, cl = lane * ${n};
  ${declare([...members].map((j) => `v${j}`), "0.0")}
  ${declare(values, "0.0")}
  ${declare(paramNames.map((i) => `p${i}`), "0.0")}
  ${declare(Array.from({ length: temps }, (_, i) => `q${i}`), "0.0")}
  ${declare(kept, "0.0")}
  ${declare(carries, "0.0")}
  ${simultaneous ? declare([...BLOCK_LOCALS], "0") + " " + declare([...BLOCK_FLAGS, ...flags], "false") : ""}
  ${paramNames.map((i) => `p${i} = P[d * ${np} + ${i}];`).join(" ")}
  ${interleaved && kept.length + flags.length > 0 ? "if (t0 === 0) {" : "{"}
    ${[...hoisted].map(([code, name]) => `${name} = ${code};`).join("\n    ")}
    ${prologue.join("\n")}
    ${keep.join(" ")}
  }${interleaved && kept.length + flags.length > 0 ? ` else { ${load.join(" ")} }` : ""}
  ${interleaved && carries.length ? `if (t0 !== 0) { ${carries.map((c) => `${c} = C[cl + ${c.slice(1)}];`).join(" ")} }` : ""}
  for (t = t0; t < t1; t++) {
    r = wl + ${LW * n} + t * ${n}; xr = xd + ${LX * nx} + t * ${nx}; a = ad + t * ${n}; ft = t * ${n};
    ${lines.join("\n    ")}
  }
  ${interleaved ? carries.map((c) => `C[cl + ${c.slice(1)}] = ${c};`).join(" ") : ""}
};`
  return { source, scratch, solvers, state: interleaved ? state : 0 }
}

/** The deepest endogenous and exogenous lags of the model's equations. */
const deepestLags = (rhs: readonly Expr[]): { endo: number; exo: number } => {
  let endo = 0
  let exo = 0
  for (const e of rhs)
    walk(e, (x) => {
      if (x.kind === "endo" && x.lag > endo) endo = x.lag
      if (x.kind === "exo" && x.lag > exo) exo = x.lag
    })
  return { endo, exo }
}

/** Generates the kernel for the given set of observed (sometimes fixed) endogenous variables. */
export const buildKernel = (plan: KernelPlan, observed: ReadonlySet<number>, fail: FailHandler): { kernel: Kernel; source: string; groups: number } => {
  const { T, nEndo: n, nExo: nx, nParam: np } = plan
  const lags = deepestLags(plan.rhs)
  const lagged = new Set<number>()
  for (const e of plan.rhs)
    walk(e, (x) => {
      if (x.kind === "endo" && x.lag > 0) lagged.add(x.index)
    })
  const LW = Math.max(1, lags.endo)
  const L: Layout = { T, n, nx, np, LW, LX: lags.exo, lagged, lanes: lanesFor(LW, T, n) }
  // The working arrays, one lane after another, each with the history rows first; a block variable without history starts from 1.
  const W = new Float64Array(L.lanes * (L.LW + T) * n)
  const WX = new Float64Array(L.lanes * (L.LX + T) * nx)
  for (let lane = 0; lane < L.lanes; lane++) {
    const w = lane * (L.LW + T) * n
    const wx = lane * (L.LX + T) * nx
    plan.endoHistory.forEach((h, j) => {
      for (let k = 1; k <= Math.min(h.length, L.LW); k++) W[w + (L.LW - k) * n + j] = h[h.length - k]!
    })
    plan.exoHistory.forEach((h, i) => {
      for (let k = 1; k <= Math.min(h.length, L.LX); k++) WX[wx + (L.LX - k) * nx + i] = h[h.length - k]!
    })
  }
  const C = new Float64Array(L.lanes * n)

  const groups = groupBlocks(
    plan.blocks.map((b, bi) => blockCost(b, plan.rhs, plan.jacobians[bi])),
    plan.blocks.map((b) => b.simultaneous),
  )
  const groupOf = new Int32Array(n)
  groups.forEach((g, gi) => g.forEach((bi) => plan.blocks[bi]!.variables.forEach((j) => (groupOf[j] = gi))))
  const lagReads = groups.map((g) => {
    const reads = new Set<number>()
    for (const bi of g) for (const j of plan.blocks[bi]!.variables) walk(plan.rhs[j]!, (x) => {
      if (x.kind === "endo" && x.lag > 0) reads.add(groupOf[x.index]!)
    })
    return [...reads]
  })
  const segs = segments(lagReads)
  const sources: string[] = []
  const fns: ((d: number, lane: number, t0: number, t1: number, out: Float64Array, P: Float64Array, X: Float64Array, AF: Float64Array, FX: Uint8Array, FV: Float64Array) => void)[] = []
  for (const seg of segs)
    for (let gi = seg.from; gi < seg.to; gi++) {
      const g = emitGroup(plan, gi, groups[gi]!, observed, L, seg.to - seg.from > 1)
      sources.push(g.source)
      const factory = new Function("W", "WX", "K", "C", "S", "L", "fail", g.source) as (...a: unknown[]) => (typeof fns)[number]
      fns.push(factory(W, WX, new Float64Array(L.lanes * g.state), C, g.scratch, g.solvers, fail))
    }
  // per batch of draws (one per lane): runs of one-group segments draw by draw, all periods in one call; a longer segment period by period, each group for every draw of the batch in turn
  const steps: string[] = []
  for (let k = 0; k < segs.length; ) {
    const s = segs[k]!
    if (s.to - s.from > 1) {
      steps.push(`for (t = 0; t < ${T}; t++) for (g = ${s.from}; g < ${s.to}; g++) for (d = d0; d < e; d++) G[g](d, d - d0, t, t + 1, out, P, X, AF, FX, FV);`)
      k++
      continue
    }
    const run: string[] = []
    for (; k < segs.length && segs[k]!.to - segs[k]!.from === 1; k++) run.push(`g${segs[k]!.from}(d, d - d0, 0, ${T}, out, P, X, AF, FX, FV);`)
    steps.push(`for (d = d0; d < e; d++) { ${run.join(" ")} }`)
  }
  const driver = `"use strict";
${fns.length ? `const ${fns.map((_, i) => `g${i} = G[${i}]`).join(", ")};` : ""}
return function kernel(D0, D, out, P, X, AF, FX, FV) {
  let i = 0, xo = 0, t = 0, g = 0, d = 0, e = 0;
  for (let d0 = D0; d0 < D; d0 += ${L.lanes}) {
    e = d0 + ${L.lanes} < D ? d0 + ${L.lanes} : D;
    ${L.LX > 0 ? `for (d = d0; d < e; d++) { xo = d * ${T * nx}; for (i = 0; i < ${T * nx}; i++) WX[(d - d0) * ${(L.LX + T) * nx} + ${L.LX * nx} + i] = X[xo + i]; }` : ""}
    ${steps.join("\n    ")}
  }
};`
  const kernel = (new Function("W", "WX", "G", driver) as (...a: unknown[]) => Kernel)(W, WX, fns)
  return { kernel, source: [...sources, driver].join("\n"), groups: fns.length }
}
