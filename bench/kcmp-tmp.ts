import { compile as compileNew } from "../engine/compile/index.ts"
import { compile as compileOld } from "/work/main/engine/compile/index.ts"
import { Model } from "../engine/schema/model.ts"
import { parse } from "yaml"
import { readFileSync } from "node:fs"
import { sampleInputs } from "./inputs.ts"
const model = Model.parse(parse(readFileSync("scenarios/duji-2024/model.yaml", "utf8")))
const a = compileNew(model), b = compileOld(model)
const D = 100000
const inp = sampleInputs(a, D, 1)
const T = 12, n = a.endogenous.length
const out = new Float64Array(D * T * n)
const run = (c: typeof a) => { const t0 = performance.now(); c.simulate(inp, out); return performance.now() - t0 }
const best = [Infinity, Infinity]
for (let r = 0; r < 8; r++) { best[0] = Math.min(best[0]!, run(a)); best[1] = Math.min(best[1]!, run(b)) }
console.log("new", best[0]!.toFixed(1), "old", best[1]!.toFixed(1), "ratio", (best[0]! / best[1]!).toFixed(2))
