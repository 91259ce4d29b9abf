// Broken models and scenarios through the command line (issue 2's list): each exits 2 with
// `file:line: field.path: problem` on standard error and no stack trace, from `validate` and
// from `project`. A small model written here keeps the expected lines stable.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, relative } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { plancast, ROOT, STACK_LINE } from "./run.ts"
import { TINY_MODEL_YAML } from "../../support/models.ts"

const model = TINY_MODEL_YAML

/** name, how to break the model, the line and the text the message must show. */
const cases: [string, (m: string) => string, RegExp][] = [
  ["YAML syntax", (m) => m + ": : - [ {\n", /model\.yaml:20: YAML syntax: .*\(column \d+\)/],
  ["unknown field", (m) => m + "bogus_field_xyz: 1\n", /model\.yaml:20: bogus_field_xyz: unknown field "bogus_field_xyz"/],
  ["wrong type", (m) => m.replace("beta: { value: 0.5 }", "beta: { value: high }"), /model\.yaml:14: parameters\.beta\.value: must be a number, not "high"/],
  ["unknown identifier", (m) => m.replace('"beta * c + g"', '"beta * nonexistent_var_xyz + g"'), /model\.yaml:18: equations\.y: unknown identifier "nonexistent_var_xyz"/],
  ["function not allowed", (m) => m.replace('"beta * c + g"', "'evaluate(\"1\") + beta * c'"), /model\.yaml:18: equations\.y: function "evaluate" is not allowed/],
  ["lag beyond the data", (m) => m.replace("y(-1)", "y(-40)"), /model\.yaml:19: equations\.c: .*y\(-40\).*beyond the data/],
  ["block that cannot converge", (m) => m.replace('"beta * c + g"', '"exp(y) + 1"'), /model\.yaml:18: equations\.y: block \{y\} did not converge in period 2024-Q1/],
  ["equation that gives NaN", (m) => m.replace('"0.8 * y(-1)"', '"log(y(-1) - 100)"'), /model\.yaml:19: equations\.c: the equation of c gives NaN in period 2024-Q1: a division by zero/],
  ["target kind that does not exist", (m) => m.replace("kind: atLeast", "kind: nearly"), /model\.yaml:8: indicators\[0\]\.target\.kind: unknown value "nearly": expected one of atLeast, atMost, around/],
  ["missing equation", (m) => m.replace('  c: "0.8 * y(-1)"\n', ""), /model\.yaml:9: indicators\[1\]\.id: "c" has no equation/],
]

let dir: string
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "plancast-bad-"))
  for (const [name, broken] of cases) {
    const d = join(dir, name.replace(/\W+/g, "-"))
    mkdirSync(d)
    writeFileSync(join(d, "model.yaml"), broken(model))
    writeFileSync(join(d, "scenario.json"), JSON.stringify({ name: "bad", model: "./model.yaml", events: [] }))
  }
  writeFileSync(join(dir, "good.yaml"), model)
})

describe("broken models exit 2 naming file, line, field and problem", () => {
  for (const [name, , message] of cases) {
    it.each(["validate", "project"])(`${name} (%s)`, async (command) => {
      const d = join(dir, name.replace(/\W+/g, "-"))
      const r = await plancast(command === "validate" ? ["validate", join(d, "model.yaml")] : ["project", join(d, "scenario.json"), "--format", "json"])
      expect(r.stderr).toMatch(message)
      expect(r.stderr).toContain(join(d, "model.yaml"))
      expect(r.stderr).not.toMatch(STACK_LINE)
      expect(r.stdout).toBe("")
      expect(r.status).toBe(2)
    })
  }
  it("names files relative to the working directory when they are below it", async () => {
    const d = join(dir, "unknown-identifier")
    const r = await plancast(["validate", "model.yaml"], { cwd: d })
    expect(r.stderr).toMatch(/^model\.yaml:18: equations\.y: unknown identifier/)
    expect(relative(ROOT, d)).not.toBe("")
  })
  it("accepts the unbroken model", async () => {
    const r = await plancast(["validate", join(dir, "good.yaml")])
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/ok: model tiny: 2 indicators/)
  })
})
