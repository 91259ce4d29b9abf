// The news contract (`plancast explain --news` and the `news` of every forecast), as zod
// schemas: what each step of a scenario's log since an earlier state did to the forecast. The
// engine's News type (engine/project/news.ts) is derived from it, and the AsyncAPI document
// reads it. Fields may be added, none removed or re-meant without saying so in the README. Pure.
import { z } from "zod"

/** An indicator's figures in a projection. */
export const Figures = z.object({
  mean: z.number().describe("annual growth, mean over the draws (%)"),
  p50: z.number().describe("annual growth, median (%)"),
  probability: z.number().nullable().describe("P(target); null without a target"),
})
export type Figures = z.infer<typeof Figures>

const FiguresById = z.record(z.string(), Figures)

/** One release of a step: what the forecast expected of it, what came, and the difference. */
export const NewsRelease = z.object({
  id: z.string().describe("the event id"),
  series: z.string().describe("the series released: an indicator or an observable"),
  through: z.string().describe("the period the year-to-date value runs through, as the event gives it"),
  expected: z.number().describe("the projection's mean year-to-date growth through that period just before the step (%); for a revision, the value in effect"),
  actual: z.number().describe("the released year-to-date growth (%)"),
  surprise: z.number().describe("actual - expected (pp)"),
})
export type NewsRelease = z.infer<typeof NewsRelease>

/** The kind of a step: a release of new figures, a revision of released ones, or other events. */
export const StepKind = z
  .enum(["release", "revision", "other"])
  .describe("release: consecutive releases through one period; revision: consecutive re-releases of released periods through one period; other: other events")
export type StepKind = z.infer<typeof StepKind>

/** One step of the news: its events in log order, their releases, and its impact per indicator. */
export const NewsStep = z.object({
  events: z.array(z.string()).describe("the step's event ids, in log order"),
  kind: StepKind,
  releases: z.array(NewsRelease).describe("the step's releases (empty for other)"),
  impact: FiguresById.describe("per indicator, the change of its figures across the step (probability null without a target); start + the impacts = end"),
})
export type NewsStep = z.infer<typeof NewsStep>

/** The news from an earlier state of a scenario to a later one. */
export const News = z
  .object({
    scenario: z.string(),
    method: z.literal("news").describe("sequential, in log order: each step against the forecast just before it (not the order-free Shapley attribution)"),
    draws: z.number().int().min(0),
    seed: z.number().int(),
    start: FiguresById.describe("per indicator, the figures of the earlier state"),
    steps: z.array(NewsStep),
    end: FiguresById.describe("per indicator, the figures of the later state"),
  })
  .describe("What moved the forecast: each release batch, revision and other step, with its surprise and impact.")
export type News = z.infer<typeof News>
