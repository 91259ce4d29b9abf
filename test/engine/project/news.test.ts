// Unit tests of the news (engine/project/news.ts): how a log is cut into release, revision and
// other steps; expected, actual and surprise of each release against the forecast just before
// it; impacts that add up from start to end; a log that does not extend the start refused.
import { describe, expect, it } from "vitest"
import { news, newsSteps } from "../../../engine/project/news.ts"
import { project } from "../../../engine/project/project.ts"
import { asOf, emptyState, fold } from "../../../engine/scenario/index.ts"
import { OptionError } from "../../../engine/errors.ts"
import { compiled, linearModel, stateOf } from "./fixtures.ts"

const model = compiled(linearModel())
const obs = (id: string, indicator: string, through: string, ytd: number) => ({ id, type: "observe" as const, indicator, through, ytd })
const foldOk = (events: unknown[]) => {
  const r = fold(model, events)
  expect(r.rejected).toEqual([])
  return r.state
}

describe("newsSteps", () => {
  it("cuts the log into consecutive releases through one period, revisions, and other events", () => {
    const s = foldOk([
      obs("y1", "y", "2024-Q1", 8),
      obs("c1", "c", "2024-Q1", 4),
      { id: "k", type: "shock", indicator: "y", value: 1 },
      { id: "k2", type: "shock", indicator: "c", value: 1 },
      obs("y2", "y", "2024-Q2", 8.5),
      obs("y1r", "y", "2024-Q1", 8.2),
      obs("c1r", "c", "2024-Q1", 4.1),
      obs("c2", "c", "2024-Q2", 4.5),
      { id: "x", type: "retract", event: "y1r" },
      obs("y1rr", "y", "2024-Q1", 8.3),
    ])
    expect(newsSteps(model, emptyState, s).map((x) => [x.kind, x.events.map((e) => e.id)])).toEqual([
      ["release", ["y1", "c1"]],
      ["other", ["k", "k2"]],
      ["release", ["y2"]],
      ["revision", ["y1r", "c1r"]],
      ["release", ["c2"]],
      ["other", ["x"]],
      // y1 is still in effect after the retract of its revision: this is a revision again
      ["revision", ["y1rr"]],
    ])
  })

  it("starts from a prefix of the log and refuses a state that is not one", () => {
    const s = foldOk([obs("y1", "y", "2024-Q1", 8), obs("y2", "y", "2024-Q2", 8.5)])
    expect(newsSteps(model, asOf(s, 1), s).map((x) => x.first)).toEqual([1])
    expect(() => newsSteps(model, foldOk([{ id: "k", type: "shock", indicator: "y", value: 1 }]), s)).toThrow(OptionError)
    expect(newsSteps(model, s, s)).toEqual([])
  })
})

describe("news", () => {
  it("expected is the mean ytd of the projection before the step; a revision is judged against the value in effect", () => {
    const s = foldOk([obs("y1", "y", "2024-Q1", 8), obs("y1r", "y", "2024-Q1", 8.6)])
    const n = news(model, emptyState, s, { draws: 500, seed: 2, scenario: "s" })
    const before = project(model, emptyState, { draws: 500, seed: 2, scenario: "s" })
    expect(n.steps.map((x) => x.kind)).toEqual(["release", "revision"])
    const [release] = n.steps[0].releases
    expect(release).toEqual({ id: "y1", series: "y", through: "2024-Q1", expected: before.indicators[0].path[0].ytd.mean, actual: 8, surprise: 8 - before.indicators[0].path[0].ytd.mean })
    const [revision] = n.steps[1].releases
    expect(revision.expected).toBeCloseTo(8, 10)
    expect(revision.surprise).toBeCloseTo(0.6, 10)
  })

  it("start, impacts and end: the projections at each boundary, and they add up", () => {
    const s = foldOk([obs("y1", "y", "2024-Q1", 2), { id: "k", type: "shock", indicator: "c", value: -1 }, obs("c2", "c", "2024-Q2", 3)])
    const opts = { draws: 300, seed: 5, scenario: "s" }
    const n = news(model, emptyState, s, opts)
    const end = project(model, s, opts)
    expect(n).toMatchObject({ scenario: "s", method: "news", draws: 300, seed: 5 })
    for (const i of end.indicators) {
      expect(n.end[i.id]).toEqual({ mean: i.annual.mean, p50: i.annual.p50, probability: i.probability })
      const sum = n.steps.reduce((a, x) => a + x.impact[i.id].mean, n.start[i.id].mean)
      expect(Math.abs(sum - i.annual.mean)).toBeLessThanOrEqual(1e-9)
    }
    // a weak first release (below what the forecast expects) lowers y's mean and its chance
    expect(n.steps[0].releases[0].surprise).toBeLessThan(0)
    expect(n.steps[0].impact.y.mean).toBeLessThan(0)
    expect(n.steps[0].impact.y.probability!).toBeLessThanOrEqual(0)
    // reusing the start and end projections changes nothing
    expect(news(model, emptyState, s, { ...opts, start: project(model, emptyState, opts), end })).toEqual(n)
  })

  it("no events after the start: no steps, start equals end", () => {
    const s = stateOf(obs("y1", "y", "2024-Q1", 6))
    const n = news(model, s, s, { draws: 0, seed: 1, scenario: "s" })
    expect(n.steps).toEqual([])
    expect(n.end).toEqual(n.start)
  })
})
