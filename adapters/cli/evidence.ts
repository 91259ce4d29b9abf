// The CLI's text of what releases did to a Monte Carlo projection: how they conditioned the
// draws (method, effective sample size, warnings) and what they taught about the uncertain
// parameters (prior and posterior mean and sd, the parameters that moved most). Shell
// formatting over the projection JSON.
import type { Projection } from "../../engine/index.ts"
import { renderTable } from "./format.ts"

/** Parameters shown: those whose posterior mean moved most, in prior sds. */
const SHOWN = 10

/** Empty without releases or draws. */
export const evidenceText = (p: Pick<Projection, "evidence" | "posterior" | "draws">): string => {
  if (p.evidence === undefined) return ""
  const e = p.evidence
  const how =
    e.method === "kalman"
      ? "errors conditioned in closed form, draws weighted by the releases' likelihood"
      : e.method === "resample-move"
        ? `draws weighted by the likelihood of their own paths, resampled and moved ${e.resamplings ?? 0} times${e.acceptance != null ? `, ${(100 * e.acceptance).toFixed(0)}% of moves accepted` : ""}`
        : "every draw forced onto the released values"
  const lines = [
    `releases: ${e.releases} (${how}); effective sample size ${e.ess.toFixed(0)} of ${p.draws} draws`,
    ...(e.reason !== undefined ? [`no closed form: ${e.reason}`] : []),
    ...e.warnings.map((w) => `warning: ${w}`),
  ]
  const moved = (p.posterior ?? [])
    .filter((q) => q.prior.sd > 0)
    .map((q) => ({ q, shift: (q.posterior.mean - q.prior.mean) / q.prior.sd }))
    .sort((a, b) => Math.abs(b.shift) - Math.abs(a.shift))
    .slice(0, SHOWN)
  if (moved.length > 0) {
    const f = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3))
    const rows = moved.map(({ q, shift }) => [q.parameter, `${f(q.prior.mean)} ± ${f(q.prior.sd)}`, `${f(q.posterior.mean)} ± ${f(q.posterior.sd)}`, shift.toFixed(2)])
    lines.push("", "what the releases taught (mean ± sd; the parameters that moved most, in prior sds):", renderTable(["parameter", "prior", "posterior", "shift"], rows))
  }
  return lines.join("\n") + "\n"
}
