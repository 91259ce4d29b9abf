// Attribution of the difference between two scenarios to events: Shapley values over the
// events that differ, computed exactly over all 2^n subsets. Sits under `explain`: it takes the
// projection as a function (state -> annual growth per indicator), so it stays independent of
// project.ts and of any randomness (pass a deterministic run). The players are the events in
// effect in one scenario and not (identically) in the other: events the scenario adds, events
// of the other scenario it no longer has (retracted, named after the retract), and events with
// the same id but other content. A subset's state holds the common events, the players' own
// versions of the events in the subset and the other scenario's versions of the rest; it is
// built directly from events in effect (no retracts), in the other scenario's order (a changed
// event in the slot of the version it changes) followed by the scenario's additions, so "later
// wins" for parameters reads as in the scenarios and a
// revised release follows the one it revises. The empty subset runs the other scenario's state
// and the full one the scenario's, so the contributions add up to the total difference (to
// floating-point rounding: Shapley values are efficient, nothing is forced onto a last one).
// Pure.
import { OptionError } from "../errors.ts"
import type { ScenarioEvent } from "../schema/scenario.ts"
import { canonical } from "../scenario/identity.ts"
import { effective, stateOfLog, type ScenarioModel, type ScenarioState } from "../scenario/state.ts"

/** The annual growth (%) of each indicator under a state: a deterministic projection. */
export type Run = (state: ScenarioState) => Readonly<Record<string, number>>

/** How an event differs between the scenario and the one it is explained against. */
export type Change = "added" | "removed" | "changed"

/** One event (a player of the Shapley game) that differs between the two scenarios. */
export interface Player {
  /** The id the contribution is reported under: the event's, or the retract's that removed it. */
  readonly id: string
  readonly change: Change
  /** The scenario's version (absent when removed). */
  readonly on?: ScenarioEvent
  /** The other scenario's version (absent when added). */
  readonly off?: ScenarioEvent
  /** For a removal by a retract in the scenario: the id of the event retracted. */
  readonly retracts?: string
}

/** One event's (or one group's) share of an indicator's difference, in percentage points. */
export interface Contribution {
  /** The event id, or a group's name when events are grouped. */
  readonly event: string
  readonly value: number
  /** Set for a single event: how it differs. */
  readonly change?: Change
  /** Set for a removal by retract: the event it retracted. */
  readonly retracts?: string
  /** Set for a group: the ids of its events. */
  readonly events?: readonly string[]
}

/** The `explain --format json` contract: per indicator, the total difference and its contributions. */
export interface Attribution {
  readonly scenario: string
  readonly against: string
  /** How the contributions were computed. */
  readonly method: "shapley"
  readonly indicators: readonly { readonly id: string; readonly total: number; readonly contributions: readonly Contribution[] }[]
}

/** Options of `attribute`. */
export interface AttributeOptions {
  /** Names reported in the result. */
  readonly scenario: string
  readonly against: string
  /** Most players (events or groups) attributed exactly: 2^n projections run. Default 12. */
  readonly maxPlayers?: number
  /** Puts events into named groups that act as one player (undefined: the event alone). */
  readonly groupBy?: (player: Player) => string | undefined
}

/** The default cap on players: 2^12 = 4096 projections. */
export const MAX_PLAYERS = 12

/** The event's meaning, leaving out what does not change a projection (scenario, note, source). */
const meaning = (e: ScenarioEvent): string => {
  const { scenario: _s, note: _n, source: _src, ...rest } = e
  return JSON.stringify(canonical(rest))
}

/**
 * The events that differ between `scenario` and `against` (by id and meaning), in the order the
 * subset states use: the other scenario's order, then the scenario's additions.
 */
export function players(against: ScenarioState, scenario: ScenarioState): Player[] {
  const a = effective(against)
  const b = effective(scenario)
  const inB = new Map(b.map((e) => [e.id, e]))
  const inA = new Map(a.map((e) => [e.id, e]))
  const retractOf = new Map<string, string>()
  for (const e of scenario.events) if (e.type === "retract") retractOf.set(e.event, e.id)
  const out: Player[] = []
  for (const off of a) {
    const on = inB.get(off.id)
    if (!on) {
      const by = retractOf.get(off.id)
      out.push(by !== undefined ? { id: by, change: "removed", off, retracts: off.id } : { id: off.id, change: "removed", off })
    } else if (meaning(on) !== meaning(off)) out.push({ id: off.id, change: "changed", on, off })
  }
  for (const on of b) if (!inA.has(on.id)) out.push({ id: on.id, change: "added", on })
  return out
}

/** A grouping for long data-release timelines: releases grouped by the period they run through, other events alone. */
export const groupByRelease = (p: Player): string | undefined => {
  const e = p.on ?? p.off
  return e?.type === "observe" ? `releases through ${e.through}` : undefined
}

/**
 * Splits the difference in each indicator's annual growth between `scenario` and `against` into
 * exact Shapley contributions of the events that differ (see the file header for the players
 * and the subset states). Runs `run` once per subset: 2^n times for n players. Throws
 * OptionError when more than `maxPlayers` players remain after grouping.
 */
export function attribute(model: ScenarioModel, against: ScenarioState, scenario: ScenarioState, run: Run, options: AttributeOptions): Attribution {
  const cap = options.maxPlayers ?? MAX_PLAYERS
  const all = players(against, scenario)

  // Groups: players sharing a group name act together.
  const groups: { name: string; members: Player[] }[] = []
  const byName = new Map<string, { name: string; members: Player[] }>()
  for (const p of all) {
    const g = options.groupBy?.(p)
    if (g === undefined) groups.push({ name: p.id, members: [p] })
    else {
      let group = byName.get(g)
      if (!group) {
        group = { name: g, members: [] }
        byName.set(g, group)
        groups.push(group)
      }
      group.members.push(p)
    }
  }
  const n = groups.length
  if (n > cap) {
    throw new OptionError({
      option: "against",
      problem: `${n} events differ between "${options.scenario}" and "${options.against}"; an exact attribution runs 2^n projections and takes at most ${cap}: explain against a closer scenario or group the events`,
    })
  }

  // Positions in the subset order: the other scenario's events, then the scenario's additions.
  // A changed event's own version takes the slot of the other's, so that "later wins" between
  // it and the common events reads as in both scenarios.
  const a = effective(against)
  const b = effective(scenario)
  const position = new Map<ScenarioEvent, number>()
  const slotOf = new Map<string, number>()
  a.forEach((e, i) => {
    position.set(e, i)
    slotOf.set(e.id, i)
  })
  b.forEach((e, i) => {
    if (!position.has(e)) position.set(e, slotOf.get(e.id) ?? a.length + i)
  })
  const playerEvents = new Set<ScenarioEvent>()
  for (const p of all) {
    if (p.on) playerEvents.add(p.on)
    if (p.off) playerEvents.add(p.off)
  }
  const playerIds = new Set(all.flatMap((p) => [p.on?.id, p.off?.id]).filter((x): x is string => x !== undefined))
  const common = a.filter((e) => !playerIds.has(e.id) && !playerEvents.has(e))

  const full = (1 << n) - 1
  const values: Readonly<Record<string, number>>[] = new Array(full + 1)
  for (let mask = 0; mask <= full; mask++) {
    if (mask === 0) values[mask] = run(against)
    else if (mask === full) values[mask] = run(scenario)
    else {
      const events = common.slice()
      groups.forEach((g, k) => {
        const inSubset = (mask >> k) & 1
        for (const p of g.members) {
          const e = inSubset ? p.on : p.off
          if (e) events.push(e)
        }
      })
      events.sort((x, y) => position.get(x)! - position.get(y)!)
      values[mask] = run(stateOfLog(events))
    }
  }

  // Shapley weights |S|! (n-|S|-1)! / n! by subset size.
  const weight = new Float64Array(Math.max(n, 1))
  for (let s = 0; s < n; s++) {
    let w = 1 / n
    // 1 / (n * C(n-1, s))
    for (let k = 1; k <= s; k++) w *= k / (n - k)
    weight[s] = w
  }
  const popcount = (x: number) => {
    let c = 0
    for (; x; x &= x - 1) c++
    return c
  }

  const ids = indicatorOrder(model, values[0], values[full])
  const indicators = ids.map((id) => {
    const v = Float64Array.from(values, (r) => valueOf(r, id))
    const total = v[full] - v[0]
    const contributions: Contribution[] = groups.map((g, k) => {
      const bit = 1 << k
      let phi = 0
      for (let mask = 0; mask <= full; mask++) if (!(mask & bit)) phi += weight[popcount(mask)] * (v[mask | bit] - v[mask])
      const single = g.members.length === 1 && g.name === g.members[0].id ? g.members[0] : undefined
      return single
        ? { event: single.id, value: phi, change: single.change, ...(single.retracts !== undefined ? { retracts: single.retracts } : {}) }
        : { event: g.name, value: phi, events: g.members.map((p) => p.id) }
    })
    return { id, total, contributions }
  })
  return { scenario: options.scenario, against: options.against, method: "shapley", indicators }
}

const valueOf = (r: Readonly<Record<string, number>>, id: string): number => {
  const x = r[id]
  if (typeof x !== "number") throw new Error(`the projection returned no annual growth for indicator "${id}"`)
  return x
}

/** The model's indicators that the run reports, in model order, then any others it reports. */
const indicatorOrder = (model: ScenarioModel, first: Readonly<Record<string, number>>, last: Readonly<Record<string, number>>): string[] => {
  const keys = new Set([...Object.keys(first), ...Object.keys(last)])
  const ordered = model.model.indicators.map((i) => i.id).filter((id) => keys.has(id))
  for (const k of keys) if (!ordered.includes(k)) ordered.push(k)
  return ordered
}
