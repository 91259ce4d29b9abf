// Unit tests of the target rule (engine/target.ts) and the tally of targets met (engine/project/tally.ts): each kind met at its boundary,
// `around` met at or above the band's lower edge with its three outcomes, the tally's shares
// (weighted, per chunk, joint counts) and the verdict's thresholds.
import { describe, expect, it } from "vitest"
import { meetsTarget, outcomeOf, targetBoundary, verdictOf } from "../../engine/target.ts"
import { TargetTally } from "../../engine/project/tally.ts"

const around = { kind: "around", value: 7, band: 0.5 } as const

describe("meetsTarget and targetBoundary", () => {
  it("applies each kind's own semantics, boundaries inclusive", () => {
    expect(meetsTarget({ kind: "atLeast", value: 7 }, 7)).toBe(true)
    expect(meetsTarget({ kind: "atLeast", value: 7 }, 6.999)).toBe(false)
    expect(meetsTarget({ kind: "atMost", value: 3 }, 3)).toBe(true)
    expect(meetsTarget({ kind: "atMost", value: 3 }, 3.001)).toBe(false)
  })

  it("around is met at or above the band's lower edge: an overshoot is met", () => {
    expect([6.49, 6.5, 7, 7.5, 7.51, 12].map((x) => meetsTarget(around, x))).toEqual([false, true, true, true, true, true])
    expect(targetBoundary(around)).toBe(6.5)
    expect(targetBoundary({ kind: "atLeast", value: 10 })).toBe(10)
    expect(targetBoundary({ kind: "atMost", value: 3 })).toBe(3)
  })

  it("every target is met exactly at its boundary", () => {
    for (const t of [around, { kind: "atLeast", value: 10 } as const, { kind: "atMost", value: 3 } as const]) expect(meetsTarget(t, targetBoundary(t))).toBe(true)
  })

  it("around's outcomes: below, inside (edges included) and above the band", () => {
    expect([6.49, 6.5, 7.5, 7.51].map((x) => outcomeOf(around, x))).toEqual(["below", "inside", "inside", "above"])
    expect(outcomeOf({ kind: "atLeast", value: 1 }, 2)).toBeUndefined()
  })
})

describe("TargetTally", () => {
  it("shares per indicator, outcomes and the joint count, over two chunks", () => {
    const tally = new TargetTally([around, undefined, { kind: "atLeast", value: 0 }], 2)
    const draws = [
      [6, 0, 1], // around below, atLeast met: 1 met
      [7, 0, -1], // inside, not met: 1 met
      [8, 0, 1], // above, met: 2 met
    ]
    tally.record(0, 0, draws[0][0])
    tally.record(2, 0, draws[0][2])
    tally.record(0, 1, draws[1][0])
    tally.record(2, 1, draws[1][2])
    tally.closeChunk(2)
    tally.record(0, 0, draws[2][0])
    tally.record(2, 0, draws[2][2])
    tally.closeChunk(1)
    expect(tally.probability(0)).toBeCloseTo(2 / 3, 15)
    expect(tally.probability(1)).toBeNull()
    expect(tally.probability(2)).toBeCloseTo(2 / 3, 15)
    expect(tally.outcomes(0)).toEqual({ below: 1 / 3, inside: 1 / 3, above: 1 / 3 })
    expect(tally.outcomes(2)).toBeNull()
    expect(tally.joint()).toEqual({ targets: 2, all: 1 / 3, count: [0, 2 / 3, 1 / 3] })
  })

  it("weights the draws", () => {
    const tally = new TargetTally([{ kind: "atLeast", value: 0 }], 2)
    tally.record(0, 0, 1)
    tally.record(0, 1, -1)
    tally.closeChunk(2, [3, 1])
    expect(tally.probability(0)).toBe(0.75)
    expect(tally.joint()).toEqual({ targets: 1, all: 0.75, count: [0.25, 0.75] })
  })

  it("no targets: every draw meets all of none", () => {
    const tally = new TargetTally([undefined], 4)
    tally.closeChunk(3)
    expect(tally.joint()).toEqual({ targets: 0, all: 1, count: [1] })
  })
})

describe("verdictOf", () => {
  it("likely at 2/3 or more, unlikely at 1/3 or less, a toss-up between", () => {
    expect([0, 0.33, 1 / 3, 0.34, 0.5, 0.66, 0.67, 1].map(verdictOf)).toEqual(["unlikely", "unlikely", "unlikely", "toss-up", "toss-up", "toss-up", "likely", "likely"])
  })
})
