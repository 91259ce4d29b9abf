// The batch room's public surface: plans of many projections (scenarios times a grid of
// assumptions), their jobs in a fixed order, and the rows each job gives. Pure; the worker
// pool that runs the jobs is the shell's (adapters/batch).
export * from "./grid.ts"
export * from "./plan.ts"
export * from "./job.ts"
