// adapters/cli/evidence.ts: the text of how releases conditioned a projection, for each method
// (resample-move with its reason, resamplings and acceptance), and what they taught.
import { describe, expect, it } from "vitest"
import { evidenceText } from "../../../adapters/cli/evidence.ts"

const posterior = [{ parameter: "mu", prior: { mean: 5, sd: 1 }, posterior: { mean: 6.46, sd: 0.675 } }]

describe("evidence text", () => {
  it("names resample-move's reason, resamplings and acceptance", () => {
    const t = evidenceText({
      draws: 10000,
      posterior,
      evidence: { releases: 9, method: "resample-move", reason: "the model is not affine in its equation errors", resamplings: 11, acceptance: 0.231, ess: 6631.2, warnings: [] },
    })
    expect(t.split("\n").slice(0, 2)).toEqual([
      "releases: 9 (draws weighted by the likelihood of their own paths, resampled and moved 11 times, 23% of moves accepted); effective sample size 6631 of 10000 draws",
      "no closed form: the model is not affine in its equation errors",
    ])
    expect(t).toMatch(/mu +5\.00 ± 1\.00 +6\.46 ± 0\.675 +1\.46/)
  })

  it("leaves out the acceptance when no resampling was needed, and the reason for the closed form", () => {
    const rm = evidenceText({ draws: 100, evidence: { releases: 1, method: "resample-move", reason: "r", resamplings: 0, acceptance: null, ess: 80, warnings: [] } })
    expect(rm.split("\n")[0]).toBe("releases: 1 (draws weighted by the likelihood of their own paths, resampled and moved 0 times); effective sample size 80 of 100 draws")
    const k = evidenceText({ draws: 100, evidence: { releases: 1, method: "kalman", ess: 100, warnings: ["w"] } })
    expect(k).toBe("releases: 1 (errors conditioned in closed form, draws weighted by the releases' likelihood); effective sample size 100 of 100 draws\nwarning: w\n")
  })
})
