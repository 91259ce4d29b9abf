// The scenario layer's public surface: decode events, fold them into a scenario state, and
// derive a projection's inputs from it. Arrows: engine/project -> here -> engine/spec. Pure.
export { decodeEvent, decodeNdjsonLine } from "./decode.ts"
export { applyEvent, extend, fold, releasesInEffect, type FoldResult, type Judge } from "./fold.ts"
export { canonical, canonicalPayload, payloadDifferences, samePayload } from "./identity.ts"
export {
  toInputs,
  type Observation,
  type ParameterOverride,
  type ScenarioInputs,
  type ShockTarget,
  type UncertainShock,
} from "./inputs.ts"
export { releasedSeries, seriesOf, type ReleasedSeries } from "./series.ts"
export type { Log } from "./log.ts"
export { periodRange, spanOf, type PeriodRange } from "./periods.ts"
export { appliedCount, asOf, effective, emptyState, eventAt, hasEvent, isPrefixState, stateOfLog, type ScenarioModel, type ScenarioState } from "./state.ts"
