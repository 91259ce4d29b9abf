// The tally of targets met over Monte Carlo draws: per indicator the share meeting its target
// (and, for `around` targets, the shares below, inside and above the band), and jointly the
// share meeting exactly k targets. The projection's only counter of targets met (project.ts),
// by the rule of engine/target.ts. Pure: allocates once per projection.
import { meetsTarget, outcomeOf } from "../target.ts"
import type { Target } from "../schema/model.ts"
import type { Joint, Outcomes } from "../schema/projection.ts"

/**
 * Counts targets met over draws, chunk by chunk: per indicator the weight of draws meeting its
 * target and, for `around` targets, the weight below and above the band; jointly, the weight of
 * draws meeting exactly k targets. `record(i, d, annual)` for every indicator i of draw d of the
 * chunk, then `closeChunk(n, weights)`; weights default to 1 per draw. Shares are weights over
 * the total weight, so they do not depend on the chunk size.
 */
export class TargetTally {
  private readonly targets: readonly (Target | undefined)[]
  private readonly met: Float64Array
  private readonly below: Float64Array
  private readonly above: Float64Array
  private readonly jointWeight: Float64Array
  private readonly metInChunk: Uint16Array
  private readonly metDraw: Uint8Array
  private readonly belowDraw: Uint8Array
  private readonly aboveDraw: Uint8Array
  private readonly chunk: number
  private total = 0
  readonly targeted: number

  constructor(targets: readonly (Target | undefined)[], chunk: number) {
    this.targets = targets
    this.chunk = chunk
    const n = targets.length
    this.met = new Float64Array(n)
    this.below = new Float64Array(n)
    this.above = new Float64Array(n)
    this.targeted = targets.filter((t) => t !== undefined).length
    this.jointWeight = new Float64Array(this.targeted + 1)
    this.metInChunk = new Uint16Array(chunk)
    this.metDraw = new Uint8Array(n * chunk)
    this.belowDraw = new Uint8Array(n * chunk)
    this.aboveDraw = new Uint8Array(n * chunk)
  }

  /** Records indicator i's annual growth in draw d of the current chunk. */
  record(i: number, d: number, annual: number): void {
    const t = this.targets[i]
    if (t === undefined) return
    const k = i * this.chunk + d
    if (meetsTarget(t, annual)) {
      this.metDraw[k] = 1
      this.metInChunk[d]++
    }
    const o = outcomeOf(t, annual)
    if (o === "below") this.belowDraw[k] = 1
    else if (o === "above") this.aboveDraw[k] = 1
  }

  /** Adds the chunk's first n draws, each with its weight (1 when none are given), and clears it. */
  closeChunk(n: number, weights?: ArrayLike<number>): void {
    const C = this.chunk
    for (let d = 0; d < n; d++) {
      const w = weights === undefined ? 1 : weights[d]
      this.total += w
      this.jointWeight[this.metInChunk[d]] += w
      this.metInChunk[d] = 0
      for (let i = 0; i < this.targets.length; i++) {
        const k = i * C + d
        if (this.metDraw[k]) this.met[i] += w
        if (this.belowDraw[k]) this.below[i] += w
        if (this.aboveDraw[k]) this.above[i] += w
        this.metDraw[k] = this.belowDraw[k] = this.aboveDraw[k] = 0
      }
    }
  }

  /** Multiplies every weight added so far by f (a weighted run moving its reference weight). */
  rescale(f: number): void {
    this.total *= f
    for (const a of [this.met, this.below, this.above, this.jointWeight]) for (let k = 0; k < a.length; k++) a[k] *= f
  }

  /** The share of weight meeting indicator i's target; null without a target. */
  probability(i: number): number | null {
    return this.targets[i] === undefined ? null : this.met[i] / this.total
  }

  /** The band outcomes of indicator i; null unless its target is `around`. */
  outcomes(i: number): Outcomes | null {
    if (this.targets[i]?.kind !== "around") return null
    const below = this.below[i] / this.total
    const above = this.above[i] / this.total
    return { below, inside: (this.total - this.below[i] - this.above[i]) / this.total, above }
  }

  /** The joint count of targets met. */
  joint(): Joint {
    const count = Array.from(this.jointWeight, (w) => w / this.total)
    return { targets: this.targeted, all: count[this.targeted], count }
  }
}
