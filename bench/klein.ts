// `node bench/klein.ts [--draws N] [--runs R]`: Klein's Model I (scenarios/textbook/klein-model-1.yaml,
// its OLS estimates) at 100,000 draws with per-period independent errors on its three
// behavioural equations (normal, sd = each equation's standard error of the regression, drawn
// per draw and period, as bimets' STOCHSIMULATE does), over 1942-1944, and the estimation of
// Klein in process. First ASSERTS that plancast's kernel and the hand-written peer give the
// same solution for every draw and period (to 1e-9) on the same pre-drawn errors, then times
// each (one warm-up, best of R runs):
//   engine       compiled.simulate: the generated kernel, errors as per-period add-factors
//   handwritten  a plain TypeScript loop a skilled user would write: the five simultaneous
//                equations reduced once (their 5x5 system inverted with the parameters, which
//                are fixed), then per draw and period one matrix-vector product
//   estimate     estimate(model) of the three equations (OLS, fit statistics, residuals)
// R and bimets are not run: bimets is a CRAN package and CRAN is not reachable from here.
// Shell: reads files, prints figures.
import { compile, decodeModel, estimate, RandomStream, streamKey } from "../engine/index.ts"
import { loadModelFile } from "../adapters/files/load.ts"
import { numberArg } from "./args.ts"
import { best } from "./timing.ts"

const DRAWS = numberArg("draws", 100_000)
const RUNS = numberArg("runs", 5)

const loaded = await loadModelFile("scenarios/textbook/klein-model-1.yaml")
const model = decodeModel(loaded.document.value)
const compiled = compile(model)
const fit = estimate(model)
const T = compiled.periods.length
const n = compiled.endogenous.length
const nx = compiled.exogenous.length
const np = compiled.parameters.length
const idx = (name: string) => compiled.endogenous.indexOf(name)
const sd = Object.fromEntries(fit.equations.map((q) => [q.variable, q.ser]))

// pre-drawn errors, the same for both: AF[d*T*n + t*n + j]
const stream = new RandomStream()
const addFactors = new Float64Array(DRAWS * T * n)
for (const v of ["C", "I", "Wp"]) {
  const j = idx(v)
  for (let d = 0; d < DRAWS; d++) {
    stream.reset(streamKey(1, `error:${v}`), d)
    for (let t = 0; t < T; t++) addFactors[d * T * n + t * n + j] = sd[v]! * stream.normal()
  }
}
const params = new Float64Array(DRAWS * np)
compiled.parameters.forEach((p, i) => {
  for (let d = 0; d < DRAWS; d++) params[d * np + i] = compiled.model.parameters[p]!.value
})
const exo = new Float64Array(DRAWS * T * nx)
compiled.exogenous.forEach((x, i) => {
  const v = compiled.model.exogenous[x]!.values as number[]
  for (let d = 0; d < DRAWS; d++) for (let t = 0; t < T; t++) exo[(d * T + t) * nx + i] = v[t]!
})
const fixed = new Uint8Array(T * n)
const fixedValues = new Float64Array(T * n)

const engine = (out: Float64Array) => compiled.simulate({ draws: DRAWS, params, exo, addFactors, fixed, fixedValues }, out)

// the hand-written peer: unknowns (C, I, Wp, X, P) per period, K1 recursive
const p = (name: string) => compiled.model.parameters[name]!.value
const A = [
  [1, 0, -p("a4"), 0, -p("a2")],
  [0, 1, 0, 0, -p("b2")],
  [0, 0, 1, -p("c2"), 0],
  [-1, -1, 0, 1, 0],
  [0, 0, 1, -1, 1],
]
const inv = invert(A)
const h = (name: string) => (compiled.model.variables[name]!.history as number[]).at(-1)!
const ex = (name: string, t: number) => (compiled.model.exogenous[name]!.values as number[])[t]!
const order = ["C", "I", "Wp", "X", "P"].map(idx)
const jK = idx("K1")
const handwritten = (out: Float64Array) => {
  const a1 = p("a1"), a3 = p("a3"), a4 = p("a4"), b1 = p("b1"), b3 = p("b3"), b4 = p("b4"), c1 = p("c1"), c3 = p("c3"), c4 = p("c4")
  const m = Float64Array.from(inv.flat())
  const Wg = Float64Array.from({ length: T }, (_, t) => ex("Wg", t))
  const At = Float64Array.from({ length: T }, (_, t) => ex("A", t))
  const G = Float64Array.from({ length: T }, (_, t) => ex("G", t))
  const Tx = Float64Array.from({ length: T }, (_, t) => ex("T", t))
  const [jC, jI, jW, jX, jP] = order as [number, number, number, number, number]
  const P0 = h("P"), X0 = h("X"), K0 = h("K1"), I0 = h("I")
  for (let d = 0; d < DRAWS; d++) {
    let P1 = P0, X1 = X0, K1 = K0, I1 = I0
    const o = d * T * n
    for (let t = 0; t < T; t++) {
      const r = o + t * n
      const K = K1 + I1
      const r0 = a1 + a3 * P1 + a4 * Wg[t]! + addFactors[r + jC]!
      const r1 = b1 + b3 * P1 + b4 * K + addFactors[r + jI]!
      const r2 = c1 + c3 * X1 + c4 * At[t]! + addFactors[r + jW]!
      const r3 = G[t]!
      const r4 = -Tx[t]!
      const C = m[0]! * r0 + m[1]! * r1 + m[2]! * r2 + m[3]! * r3 + m[4]! * r4
      const I = m[5]! * r0 + m[6]! * r1 + m[7]! * r2 + m[8]! * r3 + m[9]! * r4
      const W = m[10]! * r0 + m[11]! * r1 + m[12]! * r2 + m[13]! * r3 + m[14]! * r4
      const X = m[15]! * r0 + m[16]! * r1 + m[17]! * r2 + m[18]! * r3 + m[19]! * r4
      const P = m[20]! * r0 + m[21]! * r1 + m[22]! * r2 + m[23]! * r3 + m[24]! * r4
      out[r + jC] = C
      out[r + jI] = I
      out[r + jW] = W
      out[r + jX] = X
      out[r + jP] = P
      out[r + jK] = K
      P1 = P
      X1 = X
      I1 = I
      K1 = K
    }
  }
}

const a = new Float64Array(DRAWS * T * n)
const b = new Float64Array(DRAWS * T * n)
engine(a)
handwritten(b)
let worst = 0
for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / (1 + Math.abs(b[i]!)))
if (!(worst < 1e-9)) {
  process.stderr.write(`bench: the engine and the hand-written peer differ by ${worst} (relative)\n`)
  process.exit(1)
}
const tEngine = best(RUNS, () => engine(a))
const tHand = best(RUNS, () => handwritten(b))
const tEstimate = best(RUNS, () => estimate(model))
const mean = (j: number, t: number) => {
  let s = 0
  for (let d = 0; d < DRAWS; d++) s += a[d * T * n + t * n + j]!
  return s / DRAWS
}
process.stdout.write(
  `Klein Model I, ${DRAWS.toLocaleString("en")} draws x ${T} periods, per-period errors (solutions agree to ${worst.toExponential(1)})\n` +
    `  engine (compiled.simulate)   ${tEngine.toFixed(1)} ms\n` +
    `  hand-written loop            ${tHand.toFixed(1)} ms   engine / hand-written = ${(tEngine / tHand).toFixed(2)}\n` +
    `  estimate(model), 3 equations ${tEstimate.toFixed(2)} ms\n` +
    `  mean X ${compiled.periods.map((per, t) => `${per} ${mean(idx("X"), t).toFixed(3)}`).join(", ")}\n`,
)

function invert(M: number[][]): number[][] {
  const k = M.length
  const a = M.map((row, i) => [...row, ...Array.from({ length: k }, (_, j) => (i === j ? 1 : 0))])
  for (let c = 0; c < k; c++) {
    let piv = c
    for (let r = c + 1; r < k; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[piv]![c]!)) piv = r
    ;[a[c], a[piv]] = [a[piv]!, a[c]!]
    const d = a[c]![c]!
    for (let j = 0; j < 2 * k; j++) a[c]![j]! /= d
    for (let r = 0; r < k; r++) {
      if (r === c) continue
      const f = a[r]![c]!
      for (let j = 0; j < 2 * k; j++) a[r]![j]! -= f * a[c]![j]!
    }
  }
  return a.map((row) => row.slice(k))
}
