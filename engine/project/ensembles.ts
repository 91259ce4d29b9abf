// Several projections that keep their draws, made together: a backtest's steps, each a prefix
// of one log (backtest.ts). Each result is the same bits as projectEnsemble of its inputs
// (project.ts). Runs conditioned in closed form whose draw plans agree in everything but the
// releases' fixed values (the log between them holds only releases), and whose releases are
// each a prefix of one run's (the same series, periods and noise sd, in evidence order; the
// values may differ, as a revision's do), are conditioned together by prefixSummaries
// (weighted-summary.ts): their draws' responses and factorisations are computed once, for the
// longest prefix, and only the solves and posterior paths are per run, a chunk of at most
// GROUP_CHUNK draws at a time. Every other run is made alone. Memory: the draws of every run kept, and the sketches of every run of a group at once. Pure.
import type { CompiledModel } from "../compile/index.ts"
import type { ScenarioInputs } from "../scenario/index.ts"
import type { Projection } from "../schema/projection.ts"
import type { DrawPlan, UncertainTerm } from "./draws.ts"
import type { Evidence } from "./evidence.ts"
import { methodOf } from "./condition.ts"
import { seriesFrames } from "./frames.ts"
import { TargetTally } from "./tally.ts"
import { prefixSummaries } from "./weighted-summary.ts"
import { DRAW_BLOCK } from "./rng.ts"
import { chunkFor, checkRunOptions, emptyEnsemble, finishRun, prepareRun, type Ensemble, type PreparedRun, type ProjectOptions } from "./project.ts"

/**
 * The most draws a group conditions at once: every step of a group has its own chunk of paths,
 * read back by its summary, so smaller chunks than a single run's keep a chunk's responses and
 * paths in cache (one DRAW_BLOCK: no chunk starts inside a block of a stream, rng.ts). Results
 * do not depend on the chunk.
 */
const GROUP_CHUNK = DRAW_BLOCK

const sameArray = (x: ArrayLike<number>, y: ArrayLike<number>): boolean => {
  if (x.length !== y.length) return false
  for (let k = 0; k < x.length; k++) if (!Object.is(x[k], y[k])) return false
  return true
}

const sameTerm = (x: UncertainTerm, y: UncertainTerm): boolean =>
  x.source === y.source &&
  sameArray(x.key, y.key) &&
  x.target === y.target &&
  x.index === y.index &&
  x.first === y.first &&
  x.last === y.last &&
  x.distribution.kind === y.distribution.kind &&
  Object.is(x.distribution.a, y.distribution.a) &&
  Object.is(x.distribution.b, y.distribution.b) &&
  Object.is(x.distribution.c, y.distribution.c) &&
  (x.error === undefined) === (y.error === undefined) &&
  (x.error === undefined || (Object.is(x.error.persistence, y.error!.persistence) && x.error.parameter === y.error!.parameter && x.error.keys.every((k, t) => sameArray(k, y.error!.keys[t]))))

/** Whether two plans draw the same inputs (their releases' fixed values aside, which the closed form does not read). */
export const samePlanDraws = (x: DrawPlan, y: DrawPlan): boolean =>
  sameArray(x.params, y.params) &&
  sameArray(x.exo, y.exo) &&
  sameArray(x.addFactors, y.addFactors) &&
  x.terms.length === y.terms.length &&
  x.terms.every((t, k) => sameTerm(t, y.terms[k]))

/** Whether releases `x` are the first releases of `y`: the same series, periods and noise sd, in order (values aside). */
export const isPrefixOf = (x: readonly Evidence[], y: readonly Evidence[]): boolean =>
  x.length <= y.length && x.every((e, k) => e.frame === y[k].frame && e.series === y[k].series && e.through === y[k].through && Object.is(e.sd, y[k].sd))

/**
 * The runs to condition together (see the file header), as indexes into `runs`: groups of two
 * or more, each led by its run with the most releases, the others by decreasing releases.
 */
export const conditionedGroups = (compiled: CompiledModel, runs: readonly PreparedRun[]): number[][] => {
  const groups: number[][] = []
  const together = (k: number) => runs[k].conditioned && methodOf(compiled, runs[k].plan).method === "kalman"
  const order = runs.map((_, k) => k).filter(together)
  for (const k of order.sort((x, y) => runs[y].evidence.length - runs[x].evidence.length || x - y)) {
    const r = runs[k]
    const group = groups.find((g) => samePlanDraws(runs[g[0]].plan, r.plan) && isPrefixOf(r.evidence, runs[g[0]].evidence))
    if (group) group.push(k)
    else groups.push([k])
  }
  return groups.filter((g) => g.length > 1)
}

/** Projections of several scenarios' inputs with the same options, each with its draws (see the file header). */
export const projectEnsembles = (compiled: CompiledModel, inputs: readonly ScenarioInputs[], opts: ProjectOptions): { projection: Projection; ensemble: Ensemble }[] => {
  checkRunOptions(opts.draws, opts.seed)
  const runs = inputs.map((i) => prepareRun(compiled, i, opts, emptyEnsemble(compiled, opts.draws)))
  const groups = conditionedGroups(compiled, runs).map((g) => g.map((k) => runs[k]))
  const given = new Map<PreparedRun, Parameters<typeof finishRun>[1]>()
  const frames = seriesFrames(compiled)
  const targets = frames.map((f) => f.target)
  for (const group of groups) {
    const steps = group.map((r) => ({ releases: r.evidence.length, ytd: r.evidence.map((e) => e.ytd), tally: new TargetTally(targets, 1), keep: r.keep }))
    const lead = group[0]
    const summaries = prefixSummaries(compiled, lead.plan, frames, lead.evidence, steps, opts.draws, opts.seed, Math.min(opts.chunk ?? chunkFor(compiled), GROUP_CHUNK))
    group.forEach((r, s) => given.set(r, { summary: summaries[s], tally: steps[s].tally }))
  }
  return runs.map((r) => ({ projection: finishRun(r, given.get(r)), ensemble: r.keep! }))
}
