import { kernelSource } from "../engine/compile/index.ts"
import { Model } from "../engine/schema/model.ts"
import { parse } from "yaml"
import { readFileSync } from "node:fs"
const model = Model.parse(parse(readFileSync("scenarios/duji-2024/model.yaml", "utf8")))
console.log(kernelSource(model))
