// Non-finite values named at their source. After a solve, the first draw, then the first
// period, that holds a NaN or infinite value, and in it the first variable in solve order that
// is not finite: the equation (or simultaneous block) that produced it, since every variable
// solved before it in that period is finite. Pure; throws NonFiniteError.
import { NonFiniteError } from "../errors.ts"
import type { CompiledModel } from "./compiled.ts"

/** Throws NonFiniteError when `out` (out[d*T*n + t*n + j], `draws` draws) holds a value that is not finite. */
export const checkFinite = (compiled: Pick<CompiledModel, "blocks" | "endogenous" | "periods">, out: Float64Array, draws: number): void => {
  // one pass to find out whether anything is wrong; the naming below runs only when it is
  let bad = -1
  for (let k = 0; k < out.length; k++) {
    const v = out[k]!
    if (v - v !== 0) {
      bad = k
      break
    }
  }
  if (bad < 0) return
  const n = compiled.endogenous.length
  const T = compiled.periods.length
  const d = Math.floor(bad / (T * n))
  const t = Math.floor((bad - d * T * n) / n)
  const base = d * T * n + t * n
  for (const block of compiled.blocks) {
    const indices = block.variables.map((name) => compiled.endogenous.indexOf(name))
    const j = indices.find((i) => !Number.isFinite(out[base + i]!))
    if (j === undefined) continue
    throw new NonFiniteError({
      variables: block.simultaneous ? block.variables : [compiled.endogenous[j]!],
      period: compiled.periods[t]!,
      draw: d,
      value: String(out[base + j]),
    })
  }
}
