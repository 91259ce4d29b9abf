// Properties of simultaneous-block solving: random diagonally dominant linear systems are
// proved linear, solved in one Newton step to a residual below tolerance and match mathjs's
// lusolve; Gauss-Seidel gives the same solution; random contracting nonlinear systems solve
// to a residual below tolerance with Newton and Gauss-Seidel agreeing.
import { fc, test } from "@fast-check/vitest"
import { lusolve } from "mathjs"
import { expect } from "vitest"
import { centralInputs, compile, simulateOne } from "../../../../engine/compile/index.ts"
import type { Model } from "../../../../engine/schema/model.ts"
import { evaluateText, linearSystem, nonlinearSystem, type SystemCase } from "../../../support/models.ts"

const solve = (model: Model, names: readonly string[]): number[] => {
  const r = simulateOne(compile(model))
  return names.map((x) => r[x]![0]!)
}

const maxResidual = ({ model, names }: SystemCase, x: readonly number[]): number => {
  const scope: Record<string, number> = Object.fromEntries(Object.entries(model.parameters).map(([k, p]) => [k, p.value]))
  names.forEach((name, i) => (scope[name] = x[i]!))
  return Math.max(...names.map((name, i) => Math.abs(x[i]! - evaluateText(model.equations[name]!, scope)) / (1 + Math.abs(x[i]!))))
}

test.prop([linearSystem("newton")], { numRuns: 100 })("linear blocks: one Newton step solves A x = b", (sys) => {
  const c = compile(sys.model)
  const block = c.blocks.find((b) => b.simultaneous)
  expect(block).toBeDefined()
  expect(block!.linear).toBe(true)
  const x = solve(sys.model, sys.names)
  expect(maxResidual(sys, x)).toBeLessThan(1e-10)
  const exact = (lusolve(sys.A as number[][], sys.b as number[]) as number[][]).map((row) => row[0]!)
  x.forEach((v, i) => expect(Math.abs(v - exact[i]!)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(exact[i]!))))
  const gs = solve({ ...sys.model, solver: { ...sys.model.solver, method: "gauss-seidel", maxIterations: 5000 } }, sys.names)
  gs.forEach((v, i) => expect(Math.abs(v - x[i]!)).toBeLessThanOrEqual(1e-8 * (1 + Math.abs(x[i]!))))
})

test.prop([linearSystem("newton", false)], { numRuns: 150 })("linear blocks that need pivoting solve exactly in one Newton step", (sys) => {
  const exact = (() => {
    try {
      return (lusolve(sys.A as number[][], sys.b as number[]) as number[][]).map((row) => row[0]!)
    } catch {
      return undefined // singular: nothing to compare
    }
  })()
  fc.pre(exact !== undefined && exact.every((v) => Math.abs(v) < 1e6))
  const x = solve(sys.model, sys.names)
  x.forEach((v, i) => expect(Math.abs(v - exact![i]!)).toBeLessThanOrEqual(1e-8 * (1 + Math.abs(exact![i]!))))
  // the same per draw when parameters differ between draws (the inverse is recomputed per draw)
  const c = compile(sys.model)
  const input = centralInputs(c, 3)
  const np = c.parameters.length
  for (let d = 0; d < 3; d++) for (let i = 0; i < np; i++) input.params[d * np + i] = sys.b![i]! * (d + 1)
  const out = new Float64Array(3 * c.periods.length * c.endogenous.length)
  c.simulate(input, out)
  for (let d = 0; d < 3; d++)
    exact!.forEach((v, i) => expect(Math.abs(out[d * c.periods.length * c.endogenous.length + c.endogenous.indexOf(sys.names[i]!)]! - v * (d + 1))).toBeLessThanOrEqual(1e-8 * (1 + Math.abs(v * (d + 1)))))
})

test.prop([nonlinearSystem("newton")], { numRuns: 60 })("nonlinear blocks: Newton and Gauss-Seidel agree below tolerance", (sys) => {
  const newton = solve(sys.model, sys.names)
  expect(maxResidual(sys, newton)).toBeLessThan(1e-10)
  const gs = solve({ ...sys.model, solver: { ...sys.model.solver, method: "gauss-seidel", maxIterations: 5000 } }, sys.names)
  expect(maxResidual(sys, gs)).toBeLessThan(1e-10)
  gs.forEach((v, i) => expect(Math.abs(v - newton[i]!)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(newton[i]!))))
})

test.prop([linearSystem("newton"), fc.nat()], { numRuns: 50 })("a fixed variable keeps its value and the rest solve their own equations", (sys, pick) => {
  const k = pick % sys.names.length
  const fixedName = sys.names[k]!
  const r = simulateOne(compile(sys.model), { fixed: { [fixedName]: [3.25] } })
  expect(r[fixedName]![0]).toBe(3.25)
  const x = sys.names.map((name) => r[name]![0]!)
  const scope: Record<string, number> = Object.fromEntries(Object.entries(sys.model.parameters).map(([n, p]) => [n, p.value]))
  sys.names.forEach((name, i) => (scope[name] = x[i]!))
  sys.names.forEach((name, i) => {
    if (i !== k) expect(Math.abs(x[i]! - evaluateText(sys.model.equations[name]!, scope))).toBeLessThan(1e-9 * (1 + Math.abs(x[i]!)))
  })
})
