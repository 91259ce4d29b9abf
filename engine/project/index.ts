// The projection layer's public surface: projections (deterministic and Monte Carlo),
// goal-seek, multipliers, and the building blocks they share (seeded streams, distributions,
// year-to-date arithmetic, quantile sketches). engine/index.ts re-exports from here. Pure.
export { MAX_DRAWS, checkRunOptions, project, projectInputs, type ProjectOptions } from "./project.ts"
export { DEFAULT_CHUNK } from "./draws.ts"
export { ConditionedRunner, evidenceOf, linearSources, methodOf, type ConditionedChunk, type Evidence, type Method } from "./condition.ts"
export { conditionedSummary, type ConditionedSummary } from "./weighted-summary.ts"
export { calibrate, type CalibrationOptions, type CalibrationReport, type IndicatorCalibration, type ReliabilityBin } from "./calibrate.ts"
export { WeightedSketch } from "./weighted.ts"
export { fixedSegments, resolveFixings, resolveObservations, type CentralRun, type FixedSegment, type ResolvedObservations } from "./observe.ts"
export { QuantileSketch } from "./quantiles.ts"
export { RandomStream, streamKey, type StreamKey } from "./rng.ts"
export { prepareDistribution, sampleDraws, type DistributionRole, type PreparedDistribution } from "./distributions.ts"
export { TargetTally } from "./tally.ts"
export { SEEK_RANGE, seek, type SeekOptions, type SeekResult } from "./seek.ts"
export { MULTIPLIER_STEP, multipliers, type MultiplierOptions, type MultiplierResponse, type Multipliers } from "./multipliers.ts"
export { news, newsSteps, type NewsOptions, type StepSpan } from "./news.ts"
export { renorm, type RenormOptions, type RenormResult, type RenormTarget } from "./renorm.ts"
export { BandAccumulator, bandVariables } from "./bands.ts"
