import { Model, centralInputs, compile } from "../engine/index.ts"
import { scaleModel } from "./scale-models.ts"
const N = Number(process.argv[2] ?? 100)
for (const method of ["newton", "gauss-seidel"] as const) {
  const m = Model.parse({ ...scaleModel(N).model, solver: { method, tolerance: 1e-10, maxIterations: 1000 } })
  const c = compile(m)
  const D = Number(process.argv[3] ?? 200)
  const inp = centralInputs(c, D)
  const out = new Float64Array(D * 12 * c.endogenous.length)
  c.simulate(inp, out)
  const t0 = performance.now(); c.simulate(inp, out); const ms = performance.now() - t0
  console.log(method, (ms * 1000 / D).toFixed(1), "us/draw", c.blocks.filter(b => b.simultaneous).map(b => `${b.variables.length}${b.linear ? "L" : "N"}`).join(","))
}
