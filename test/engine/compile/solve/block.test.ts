// Unit tests of one emitted block solve: Newton (linear one step, nonlinear iterations),
// Gauss-Seidel, the fallback from a singular Newton step, fixed unknowns, the failure call,
// and every right-hand side emitted once whatever the method and fallback.
import { describe, expect, it } from "vitest"
import { BLOCK_FLAGS, BLOCK_LOCALS, emitBlock, emitBlockDraw, type BlockSpec } from "../../../../engine/compile/solve/block.ts"

interface Run {
  values: number[]
  failure?: { block: number; t: number; iterations: number; residual: number }
  steps: number
}

// Builds a runnable function around an emitted block over unknowns u0..u(m-1), starting at `start`.
const runBlock = (spec: Omit<BlockSpec, "unknowns" | "values" | "addend" | "scratch" | "index">, start: number[], fixed: number[] = []): Run => {
  const m = start.length
  const unknowns = start.map((_, i) => `u${i}`)
  const values = start.map((_, i) => `e${i}`)
  const full: BlockSpec = { ...spec, index: 7, unknowns, values, addend: start.map(() => ""), scratch: { a: "SA", inv: "SM", b: "SB", g: "SG", p: "SP" } }
  const src = `let ${BLOCK_LOCALS.map((v) => `${v} = 0`).join(", ")}; let ${BLOCK_FLAGS.map((v) => `${v} = false`).join(", ")}, lu = false;
  let t = 3; ${unknowns.map((u, i) => `let ${u} = START[${i}];`).join(" ")} let ${values.map((e) => `${e} = 0`).join(", ")};
  ${emitBlockDraw(full)}
  ${emitBlock(full)}
  return [${unknowns.join(", ")}, it];`
  let failure: Run["failure"]
  const fail = (block: number, t: number, iterations: number, residual: number): never => {
    failure = { block, t, iterations, residual }
    throw new Error("fail")
  }
  const f = new Function("START", "FIX", "SA", "SM", "SB", "SG", "SP", "fail", src) as (...a: unknown[]) => number[]
  try {
    const r = f(start, fixed, new Float64Array(m * m), new Float64Array(m * m), new Float64Array(m), new Float64Array(m), new Int32Array(m), fail)
    return { values: r.slice(0, m), steps: r[m]! }
  } catch {
    return { values: [], failure, steps: -1 }
  }
}

const base = { fixed: [null, null], tolerance: 1e-12, maxIterations: 50, method: "newton" as const, linear: false }

describe("emitBlock", () => {
  // x = 0.5 y + 1, y = 0.25 x + 2  ->  x = 16/7 * ..., solved exactly
  const linear = { ...base, rhs: ["0.5 * u1 + 1", "0.25 * u0 + 2"], jacobian: [[0, 0.5], [0.25, 0]] }
  const exact = [(1 + 0.5 * 2) / (1 - 0.125), 0.25 * ((1 + 0.5 * 2) / (1 - 0.125)) + 2]

  it("solves a linear block in exactly one Newton step", () => {
    const r = runBlock({ ...linear, linear: true }, [100, -100])
    r.values.forEach((v, i) => expect(v).toBeCloseTo(exact[i]!, 12))
    expect(r.steps).toBe(0) // no iteration loop ran
  })
  it("solves a linear block with a per-draw inverse by one product", () => {
    const r = runBlock({ ...linear, linear: true, invariant: { factored: "lu" } }, [100, -100])
    r.values.forEach((v, i) => expect(v).toBeCloseTo(exact[i]!, 12))
    const singular = runBlock({ ...linear, linear: true, invariant: { factored: "lu" }, jacobian: [[1, 0], [0, 1]] }, [0, 0])
    singular.values.forEach((v, i) => expect(v).toBeCloseTo(exact[i]!, 11)) // Gauss-Seidel fallback
  })
  it("solves the same block by Newton iterations and by Gauss-Seidel", () => {
    const n = runBlock(linear, [0, 0])
    n.values.forEach((v, i) => expect(v).toBeCloseTo(exact[i]!, 12))
    expect(n.steps).toBe(1) // one step, then the residual check
    const g = runBlock({ ...linear, method: "gauss-seidel" }, [0, 0])
    g.values.forEach((v, i) => expect(v).toBeCloseTo(exact[i]!, 11))
    expect(g.steps).toBeGreaterThan(5)
  })
  it("iterates Newton on a nonlinear block", () => {
    // x = sqrt(y), y = 6 - x  ->  x = 2, y = 4
    const r = runBlock({ ...base, rhs: ["Math.sqrt(u1)", "6 - u0"], jacobian: [["0", "1 / (2 * Math.sqrt(u1))"], [-1, 0]] }, [1, 1])
    expect(r.values[0]).toBeCloseTo(2, 12)
    expect(r.values[1]).toBeCloseTo(4, 12)
  })
  it("falls back to Gauss-Seidel when the Jacobian is singular", () => {
    // a wrong (singular) Jacobian: Newton cannot step, Gauss-Seidel still solves the contraction
    const r = runBlock({ ...linear, jacobian: [[1, 0], [0, 1]] }, [0, 0])
    r.values.forEach((v, i) => expect(v).toBeCloseTo(exact[i]!, 11))
  })
  it("keeps fixed unknowns and solves the others", () => {
    const spec = { ...linear, fixed: [{ when: "FIX[0] === 1", value: "5" }, null] }
    for (const method of ["newton", "gauss-seidel"] as const) {
      const r = runBlock({ ...spec, method }, [0, 0], [1])
      expect(r.values[0]).toBe(5)
      expect(r.values[1]).toBeCloseTo(0.25 * 5 + 2, 12)
      const free = runBlock({ ...spec, method }, [0, 0], [0])
      free.values.forEach((v, i) => expect(v).toBeCloseTo(exact[i]!, 11))
    }
  })
  it("calls fail with the block, period, iterations and residual when nothing converges", () => {
    // x = x^2 + 1 has no real solution
    const r = runBlock({ ...base, fixed: [null], rhs: ["u0 * u0 + 1"], jacobian: [["2 * u0"]], maxIterations: 20 }, [0.5])
    expect(r.failure).toBeDefined()
    expect(r.failure!.block).toBe(7)
    expect(r.failure!.t).toBe(3)
    expect(r.failure!.iterations).toBe(1000)
    const g = runBlock({ ...base, fixed: [null], method: "gauss-seidel", rhs: ["0.5 * u0 + 1 + 1e-3 * Math.sin(1e6 * u0)"], jacobian: undefined, maxIterations: 5 }, [0])
    expect(g.failure?.iterations).toBe(5)
    expect(g.failure!.residual).toBeGreaterThan(0)
  })
})

describe("emitBlock code size", () => {
  it("emits each right-hand side once, with Newton, its fallback, fixed unknowns and the per-draw inverse", () => {
    const rhs = ["RHS_A(u1)", "RHS_B(u0)"]
    const specs: BlockSpec[] = [
      { ...base, linear: false, rhs, jacobian: [[0, "JAC_AB"], ["JAC_BA", 0]] },
      { ...base, linear: true, rhs, jacobian: [[0, 0.5], [0.25, 0]], invariant: { factored: "lu", registers: "b0" } },
      { ...base, linear: true, rhs, jacobian: [[0, 0.5], [0.25, 0]], fixed: [{ when: "F", value: "1" }, null] },
      { ...base, method: "gauss-seidel" as const, rhs, jacobian: undefined },
    ].map((s) => ({ ...s, index: 0, unknowns: ["u0", "u1"], values: ["e0", "e1"], addend: ["", ""], scratch: { a: "SA", inv: "SM", b: "SB", g: "SG", p: "SP" } }))
    for (const spec of specs) {
      const code = emitBlockDraw(spec) + emitBlock(spec)
      for (const text of [...rhs, "JAC_AB", "JAC_BA"]) expect(code.split(text).length - 1).toBeLessThanOrEqual(1)
    }
  })
})

describe("emitBlock fallback", () => {
  // x = 0.5 y + 1, y = 0.25 x + 2 from a start whose residual overflows: the one step gives
  // infinities, and Gauss-Seidel must restart from the start, not from them
  const spec = { ...base, linear: true, rhs: ["0.5 * u1 + 1", "0.25 * u0 + 2"], jacobian: [[0, 0.5], [0.25, 0]], invariant: { factored: "lu" } }
  const exact = [(1 + 0.5 * 2) / (1 - 0.125), 0.25 * ((1 + 0.5 * 2) / (1 - 0.125)) + 2]
  it("restarts Gauss-Seidel from the starting point when the per-draw inverse gives non-finite values", () => {
    const r = runBlock(spec, [1.7e308, -1.7e308])
    expect(r.failure).toBeUndefined()
    r.values.forEach((v, i) => expect(v).toBeCloseTo(exact[i]!, 11))
  })
})
