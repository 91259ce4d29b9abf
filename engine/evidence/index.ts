// The evidence room's public surface: releases as evidence (conditioned draws), their weighted
// summaries and the calibration check. engine/index.ts re-exports from here. Pure.
export { ConditionedRunner, evidenceOf, linearSources, methodOf, type ConditionedChunk, type Evidence, type Method } from "./condition.ts"
export { conditionedSummary, type ConditionedSummary } from "./summary.ts"
export { calibrate, type CalibrationOptions, type CalibrationReport, type IndicatorCalibration, type ReliabilityBin } from "./calibrate.ts"
export { WeightedSketch } from "./weighted.ts"
