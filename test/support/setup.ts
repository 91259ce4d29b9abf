// Global test set-up: fast-check runs with a fixed seed (FC_SEED overrides it) so CI is
// reproducible; fast-check prints the seed and path of any counterexample.
import fc from "fast-check"

const seed = Number(process.env.FC_SEED ?? 20240101)
fc.configureGlobal({ seed, numRuns: Number(process.env.FC_RUNS ?? 100) })
