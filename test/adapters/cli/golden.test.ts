// Golden tests of the Duji 2024 baseline: `plancast project scenarios/duji-2024/baseline.yaml
// --format json` against test/golden/duji-2024-baseline.json, and its Monte Carlo at 1,000 draws
// (seed 1, in process through the same loader and projection) against
// test/golden/duji-2024-baseline-draws1000.json, so a refactor cannot silently change every
// stochastic number. Numbers agree to
// within 1e-9 (absolute, or relative to the reference when it exceeds 1 in magnitude); every other
// value and the shape must be equal. After an intended change of the model or the engine,
// regenerate the reference with `npm run golden` (UPDATE_GOLDEN=1) and review the diff.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { describe, expect, it } from "vitest"
import { loadScenarioStrict } from "../../../adapters/files/load.ts"
import { projectScenario } from "../../../adapters/cli/commands/command.ts"
import { BASELINE, plancast, ROOT } from "./run.ts"

/** Tolerance on every number: |got - want| <= TOLERANCE * max(1, |want|). */
export const TOLERANCE = 1e-9
const GOLDEN = join(ROOT, "test/golden/duji-2024-baseline.json")
const GOLDEN_DRAWS = join(ROOT, "test/golden/duji-2024-baseline-draws1000.json")

/** The places where two JSON values differ beyond the tolerance, as readable paths. */
const differences = (got: unknown, want: unknown, path = "$", out: string[] = []): string[] => {
  if (out.length >= 20) return out
  if (typeof want === "number" && typeof got === "number") {
    if (!(Math.abs(got - want) <= TOLERANCE * Math.max(1, Math.abs(want)))) out.push(`${path}: ${got} != ${want}`)
  } else if (Array.isArray(want) && Array.isArray(got)) {
    if (got.length !== want.length) out.push(`${path}: length ${got.length} != ${want.length}`)
    else want.forEach((w, i) => differences(got[i], w, `${path}[${i}]`, out))
  } else if (want !== null && typeof want === "object" && got !== null && typeof got === "object" && !Array.isArray(got)) {
    const keys = new Set([...Object.keys(want), ...Object.keys(got)])
    for (const k of keys) {
      if (!(k in got)) out.push(`${path}.${k}: missing`)
      else if (!(k in want)) out.push(`${path}.${k}: not in the reference`)
      else differences((got as Record<string, unknown>)[k], (want as Record<string, unknown>)[k], `${path}.${k}`, out)
    }
  } else if (got !== want) out.push(`${path}: ${JSON.stringify(got)} != ${JSON.stringify(want)}`)
  return out
}

/** Compares a result with its reference file, or rewrites the file under UPDATE_GOLDEN=1. */
const expectGolden = (file: string, got: unknown): void => {
  if (process.env.UPDATE_GOLDEN === "1") {
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, JSON.stringify(got, null, 2) + "\n")
    return
  }
  expect(existsSync(file), `${file} is missing: run npm run golden`).toBe(true)
  expect(differences(got, JSON.parse(readFileSync(file, "utf8")))).toEqual([])
}

describe("golden: Duji 2024 baseline", () => {
  it(`projects as the reference, to ${TOLERANCE} (regenerate: npm run golden)`, async () => {
    const r = await plancast(["project", BASELINE, "--format", "json"])
    expect(r.stderr).toBe("")
    expect(r.status).toBe(0)
    expectGolden(GOLDEN, JSON.parse(r.stdout))
  })

  it(`projects 1,000 Monte Carlo draws (seed 1) as the reference, to ${TOLERANCE}`, async () => {
    const scenario = await loadScenarioStrict(join(ROOT, BASELINE))
    expectGolden(GOLDEN_DRAWS, JSON.parse(JSON.stringify(projectScenario(scenario, 1000, 1))))
  })

  it("compares with the stated tolerance (the comparison itself can fail)", async () => {
    expect(differences({ a: [1, 2.5] }, { a: [1, 2.5 + 1e-12] })).toEqual([])
    expect(differences({ a: [1, 2.5] }, { a: [1, 2.5 + 1e-6] })).toEqual([`$.a[1]: 2.5 != ${2.5 + 1e-6}`])
    expect(differences({ a: 1e6 + 1e-4 }, { a: 1e6 })).toEqual([])
    expect(differences({ a: "x" }, { a: "y", b: 1 })).toEqual(['$.a: "x" != "y"', "$.b: missing"])
  })
})
