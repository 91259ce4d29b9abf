// The estimation room's surface: estimation of behavioural equations (estimate.ts, on ols.ts)
// and the checks of a model against its data (static.ts). Re-exported by engine/index.ts. Pure.
export { estimate, type Coefficient, type EquationEstimate, type Estimation } from "./estimate.ts"
export { ols, type OlsFit, type Restrictions } from "./ols.ts"
export { dataRange, residualCheck, staticSimulation, type SeriesTable } from "./static.ts"
