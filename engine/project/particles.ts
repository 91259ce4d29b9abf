// The particles of resample-move (resample-move.ts): a Monte Carlo draw as a point z of
// standard-normal coordinates, one per uncertain scalar of the draw plan (draws.ts): an
// uncertain parameter, an exogenous draw, a shock, and an equation error's first value and
// each of its period innovations (one coordinate for an error that persists fully, none for
// a constant). A coordinate becomes its term's value through the distribution's quantile at
// Phi(z), a + b z for a normal, so the prior of z is N(0, I) whatever the distributions; the
// errors follow their AR(1) recursion as in DrawRunner. A particle's prior coordinates are the
// normals of its terms' own streams for its draw index ("parameter:", "exogenous:", "shock:",
// "error:<name>" and "error:<name>@t"), so a normal term starts where every other runner
// draws it. Particles are simulated chunk by chunk through DrawRunner's buffers and the
// compiled model, with no release fixed (each particle's own path); one whose solution fails is
// marked (failures.ts), whatever the chunk. Pure.
import type { CompiledModel, SimulationInput } from "../compile/index.ts"
import { solveMarking, type DrawFailure } from "./failures.ts"
import { clampPersistence, type DrawPlan, type UncertainTerm } from "./draws.ts"
import { DrawRunner } from "./draw-runner.ts"
import type { PreparedDistribution } from "./distributions.ts"
import { RandomStream, type StreamKey } from "./rng.ts"
import type { IndicatorFrame } from "./frames.ts"

/** The standard normal CDF (Hart 1968, as given by West 2005; double precision). */
export const normalCdf = (x: number): number => {
  const ax = Math.abs(x)
  let c: number
  if (ax > 37) c = 0
  else {
    const e = Math.exp(-0.5 * ax * ax)
    if (ax < 7.07106781186547) {
      let n = 3.52624965998911e-2 * ax + 0.700383064443688
      n = n * ax + 6.37396220353165
      n = n * ax + 33.912866078383
      n = n * ax + 112.079291497871
      n = n * ax + 221.213596169931
      n = n * ax + 220.206867912376
      let d = 8.83883476483184e-2 * ax + 1.75566716318264
      d = d * ax + 16.064177579207
      d = d * ax + 86.7807322029461
      d = d * ax + 296.564248779674
      d = d * ax + 637.333633378831
      d = d * ax + 793.826512519948
      d = d * ax + 440.413735824752
      c = (e * n) / d
    } else {
      let d = ax + 0.65
      d = ax + 4 / d
      d = ax + 3 / d
      d = ax + 2 / d
      d = ax + 1 / d
      c = e / d / 2.506628274631
    }
  }
  return x > 0 ? 1 - c : c
}

/** A term's value at standard-normal coordinate z: the distribution's quantile at Phi(z). */
export const valueAt = (p: PreparedDistribution, z: number): number => {
  switch (p.kind) {
    case "constant":
      return p.a
    case "normal":
      return p.a + p.b * z
    case "lognormal":
      return p.a * Math.exp(p.b * z)
    case "uniform":
      return p.a + (p.b - p.a) * normalCdf(z)
    case "triangular": {
      const u = normalCdf(z)
      const lo = p.a, hi = p.b, mode = p.c
      return u < (mode - lo) / (hi - lo) ? lo + Math.sqrt(u * (hi - lo) * (mode - lo)) : hi - Math.sqrt((1 - u) * (hi - lo) * (hi - mode))
    }
  }
}

/** A term's coordinates: `width` of them from `at` (0 for a constant), and whether it is an AR(1) error over its periods. */
interface Slot {
  readonly term: UncertainTerm
  readonly at: number
  readonly width: number
  readonly ar: boolean
  readonly keys: readonly StreamKey[]
}

/** Simulates particles given by their coordinates, chunk by chunk, into reused buffers. */
export class ParticleSimulator {
  readonly chunk: number
  /** Coordinates per particle. */
  readonly dimension: number
  /** Period growths per particle and indicator (frames x P). */
  readonly G: number
  /** After `solve`: 1 for a particle that did not converge or is not finite, its reason in `reasons`. */
  readonly failed: Uint8Array
  readonly reasons: (DrawFailure | undefined)[] = []
  private readonly slots: readonly Slot[]
  private readonly runner: DrawRunner
  private readonly sim: Float64Array
  private readonly stream = new RandomStream()

  private readonly compiled: CompiledModel
  private readonly plan: DrawPlan
  private readonly frames: readonly IndicatorFrame[]
  private readonly P: number

  constructor(compiled: CompiledModel, plan: DrawPlan, frames: readonly IndicatorFrame[], P: number, chunk: number) {
    this.compiled = compiled
    this.plan = plan
    this.frames = frames
    this.P = P
    this.G = frames.length * P
    this.runner = new DrawRunner(compiled, plan, chunk)
    this.chunk = this.runner.chunk
    let D = 0
    this.slots = plan.terms.map((term) => {
      const ar = term.error !== undefined && !(term.error.parameter < 0 && term.error.persistence === 1)
      const width = term.distribution.kind === "constant" ? 0 : ar ? term.last - term.first + 1 : 1
      const keys = ar ? term.error!.keys.slice(term.first, term.last + 1) : [term.key]
      const slot = { term, at: D, width, ar, keys }
      D += width
      return slot
    })
    this.dimension = D
    this.sim = new Float64Array(this.chunk * plan.T * plan.nEndo)
    this.failed = new Uint8Array(this.chunk)
  }

  /** The prior coordinates of draws first..first+n-1 into rows first..first+n-1 of `z`. */
  prior(z: Float64Array, first: number, n: number): void {
    const D = this.dimension
    for (let d = 0; d < n; d++)
      for (const s of this.slots)
        for (let j = 0; j < s.width; j++) {
          this.stream.reset(s.keys[j], first + d)
          z[(first + d) * D + s.at + j] = this.stream.normal()
        }
  }

  /**
   * Simulates the n (<= chunk) particles of rows from..from+n-1 of `z`; gives their inputs
   * (valid until the next call). A particle that does not converge or is not finite is marked
   * in `failed`, its reason in `reasons` (failures.ts), naming draw `draw` + its row in the
   * chunk when `draw` is given (the prior draws).
   */
  solve(z: Float64Array, from: number, n: number, draw?: number): SimulationInput {
    const input = this.fill(z, from, n)
    this.failed.fill(0, 0, n)
    solveMarking(this.compiled, input, this.sim, this.failed, this.reasons, draw)
    return input
  }

  /** The inputs of n particles, rows from..from+n-1 of `z`, in the runner's buffers. */
  private fill(z: Float64Array, from: number, n: number): SimulationInput {
    const { T, nEndo, nExo, nParam } = this.plan
    const D = this.dimension
    this.runner.run(0, n, false, true, false, false)
    const input = this.runner.last!
    // parameters come first in the plan's terms, so an error's persistence parameter is set before it is read
    for (const s of this.slots) {
      const { term, at, width } = s
      const p = term.distribution
      if (term.target === "param") {
        for (let d = 0; d < n; d++) input.params[d * nParam + term.index] = width === 0 ? p.a : valueAt(p, z[(from + d) * D + at])
        continue
      }
      const [buf, w, stride] = term.target === "endo" ? [input.addFactors, nEndo, T * nEndo] : [input.exo, nExo, T * nExo]
      for (let d = 0; d < n; d++) {
        const zo = (from + d) * D + at
        let u = width === 0 ? p.a : valueAt(p, z[zo])
        if (!s.ar) {
          for (let t = term.first; t <= term.last; t++) buf[d * stride + t * w + term.index] += u
          continue
        }
        const ar = term.error!
        const rho = ar.parameter < 0 ? ar.persistence : clampPersistence(input.params[d * nParam + ar.parameter])
        const c = Math.sqrt(1 - rho * rho)
        for (let t = term.first; t <= term.last; t++) {
          if (t > term.first) u = rho * u + c * (width === 0 ? p.a : valueAt(p, z[zo + t - term.first]))
          buf[d * stride + t * w + term.index] += u
        }
      }
    }
    return input
  }

  /** Particle d of the last `solve`: its indicators' period growths into row `row` of `growth`. */
  growth(d: number, growth: Float64Array, row: number): void {
    const { T, nEndo } = this.plan
    const P = this.P
    this.frames.forEach((f, i) => {
      for (let t = 0; t < P; t++) growth[row * this.G + i * P + t] = this.sim[d * T * nEndo + t * nEndo + f.j]
    })
  }
}
