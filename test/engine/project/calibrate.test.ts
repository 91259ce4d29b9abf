// The calibration check of releases as evidence on the Duji model and its release calendar
// (scenarios/duji-2024/releases-2024.yaml: 41 releases through September), run once with a fixed
// seed: 400 true worlds from the model's prior, each nowcast from its own releases. With
// releases as evidence (1,000 draws per world, shared by every world) the 50% and 90% bands of
// every indicator cover the true annual growth at their rates, within about 4 standard
// errors (0.50 ± 0.08, 0.90 ± 0.06); with every draw forced onto the releases (the old rule,
// 250 draws per world: its failure is the bands' width, not Monte Carlo error) they do not.
// Also: the releases sharpen the GDP band, and a far-below industry release raises the
// posterior of the industry shortfall's persistence.
import { beforeAll, describe, expect, it } from "vitest"
import { calibrate, type CalibrationReport } from "../../../engine/project/calibrate.ts"
import { project } from "../../../engine/project/project.ts"
import { fold } from "../../../engine/scenario/fold.ts"
import { toInputs } from "../../../engine/scenario/inputs.ts"
import { loadScenarioStrict, type LoadedScenario } from "../../../adapters/files/load.ts"

const WORLDS = 400
let releases: LoadedScenario
let baseline: LoadedScenario
beforeAll(async () => {
  releases = await loadScenarioStrict("scenarios/duji-2024/releases-2024.yaml")
  baseline = await loadScenarioStrict("scenarios/duji-2024/baseline.yaml")
})

const run = (conditioning: "posterior" | "exogenize", draws: number): CalibrationReport =>
  calibrate(releases.compiled, toInputs(releases.compiled, releases.state), { worlds: WORLDS, draws, seed: 2024, conditioning })

describe("calibration on the Duji release calendar", () => {
  it("releases as evidence: every indicator's bands cover at their rates", () => {
    const r = run("posterior", 1000)
    expect(r.releases).toBe(41)
    for (const i of r.indicators) {
      expect(i.coverage90, `${i.id} coverage90`).toBeGreaterThanOrEqual(0.84)
      expect(i.coverage90, `${i.id} coverage90`).toBeLessThanOrEqual(0.96)
      expect(i.coverage50, `${i.id} coverage50`).toBeGreaterThanOrEqual(0.42)
      expect(i.coverage50, `${i.id} coverage50`).toBeLessThanOrEqual(0.58)
      expect(i.pit.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12)
      expect(i.reliability.reduce((a, b) => a + b.n, 0)).toBe(i.brier === null ? 0 : WORLDS)
    }
  }, 240_000)

  it("the old rule (every draw forced onto the releases) fails it", () => {
    const r = run("exogenize", 250)
    const failing = r.indicators.filter((i) => i.coverage90 < 0.84 || i.coverage90 > 0.96 || i.coverage50 < 0.42 || i.coverage50 > 0.58)
    expect(failing.length).toBeGreaterThan(0)
  }, 240_000)

  it("the releases through September narrow the GDP band to well under half the prior's", () => {
    const prior = project(baseline.compiled, baseline.state, { draws: 4000, seed: 5, scenario: "baseline" })
    const post = project(releases.compiled, releases.state, { draws: 4000, seed: 5, scenario: "releases" })
    const width = (p: typeof prior) => p.indicators.find((i) => i.id === "gdp")!.annual.p95 - p.indicators.find((i) => i.id === "gdp")!.annual.p05
    expect(width(post)).toBeLessThan(0.4 * width(prior))
  }, 120_000)

  it("a large negative industry release raises the posterior mean of the industry persistence parameter", () => {
    const { state } = fold(baseline.compiled, [...baseline.events, { id: "ind-low", type: "observe", indicator: "industry_va", through: "2024-02", ytd: -12 }])
    const p = project(baseline.compiled, state, { draws: 4000, seed: 5, scenario: "industry-low" })
    const persist = p.posterior!.find((q) => q.parameter === "persist_ind")!
    expect(persist.posterior.mean).toBeGreaterThan(persist.prior.mean + 0.25 * persist.prior.sd)
  }, 120_000)
})
