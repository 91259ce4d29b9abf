// fast-check generators of scenario event streams for a given model (the scenario layer's view
// of a compiled model): valid logs built from random commands (shocks, measures,
// set-parameter, releases consistent with a hidden growth path per indicator, retracts of
// earlier events), events that are invalid wherever they stand, and noisy streams that
// interleave duplicates and invalid events with a valid log. Ids: valid events "e<k>", invalid
// ones "bad<k>", so the two never collide. Test support only.
import fc from "fast-check"
import type { ScenarioModel } from "../../engine/scenario/state.ts"
import { baseProfile, ytdAt } from "../../engine/ytd.ts"

/** A raw event as it would arrive from a file or a stream (not yet decoded). */
export type RawEvent = Record<string, unknown>

const value = fc.integer({ min: -40, max: 40 }).map((x) => x / 4)
const growth = fc.integer({ min: -200, max: 200 }).map((x) => x / 10)

/** One random step of a log; the builder turns it into an event valid at its position. */
interface Command {
  readonly kind: "shock" | "measure" | "set-parameter" | "observe" | "retract" | "zero"
  readonly pick: number
  readonly pick2: number
  readonly value: number
  readonly span: readonly [number, number] | null
  readonly sd: number | null
  readonly effects: readonly { pick: number; value: number; span: readonly [number, number] | null }[]
}

const span = fc.option(fc.tuple(fc.nat(1000), fc.nat(1000)), { nil: null })
const command: fc.Arbitrary<Command> = fc.record({
  kind: fc.constantFrom("shock", "shock", "measure", "set-parameter", "observe", "observe", "retract", "zero") as fc.Arbitrary<Command["kind"]>,
  pick: fc.nat(1000),
  pick2: fc.nat(1000),
  value,
  span,
  sd: fc.option(fc.integer({ min: 1, max: 8 }).map((x) => x / 4), { nil: null, freq: 3 }),
  effects: fc.array(fc.record({ pick: fc.nat(1000), value, span }), { minLength: 1, maxLength: 3 }),
})

/** Which kinds of events a generated log may contain. */
export interface StreamOptions {
  readonly maxLength?: number
  readonly kinds?: readonly Command["kind"][]
  /** First id number (so that two generated logs can be concatenated). */
  readonly idBase?: number
  /** Ids of earlier events (a base's) that retracts may also name. */
  readonly retractable?: readonly string[]
}

const build = (m: ScenarioModel, paths: number[][], commands: readonly Command[], options: StreamOptions): RawEvent[] => {
  const shockable = [...m.endogenous, ...m.exogenous]
  const T = m.periods.length
  const P = Math.min(m.periodsPerYear, T)
  const periodsOf = (s: readonly [number, number] | null) => {
    if (!s) return {}
    const [a, b] = [s[0] % T, s[1] % T].sort((x, y) => x - y)
    return { from: m.periods[a], to: m.periods[b] }
  }
  const live: string[] = [...(options.retractable ?? [])]
  const out: RawEvent[] = []
  let k = options.idBase ?? 0
  for (const c of commands) {
    if (options.kinds && !options.kinds.includes(c.kind)) continue
    const id = `e${k++}`
    let e: RawEvent
    // A retract with nothing to retract yet becomes a shock.
    const kind = c.kind === "retract" && live.length === 0 ? "shock" : c.kind
    switch (kind) {
      case "retract": {
        const [target] = live.splice(c.pick % live.length, 1)
        out.push({ id, type: "retract", event: target })
        continue
      }
      case "shock":
        e = { id, type: "shock", indicator: shockable[c.pick % shockable.length], value: c.value, ...periodsOf(c.span), ...(c.sd !== null ? { sd: c.sd } : {}) }
        break
      case "zero":
        e = { id, type: "shock", indicator: shockable[c.pick % shockable.length], value: 0, ...periodsOf(c.span) }
        break
      case "measure":
        e = {
          id,
          type: "measure",
          name: `measure ${id}`,
          effects: c.effects.map((x) => ({ indicator: shockable[x.pick % shockable.length], value: x.value, ...periodsOf(x.span) })),
        }
        break
      case "set-parameter":
        if (m.parameters.length === 0) continue
        e = {
          id,
          type: "set-parameter",
          parameter: m.parameters[c.pick % m.parameters.length],
          ...(c.sd !== null && c.pick2 % 2 ? { uncertainty: { dist: "normal", sd: c.sd } } : { value: c.value }),
        }
        break
      case "observe": {
        if (m.model.indicators.length === 0 || P === 0) continue
        const i = c.pick % m.model.indicators.length
        const indicator = m.model.indicators[i]
        const through = c.pick2 % P
        const ytd = ytdAt(indicator.kind, baseProfile(indicator.profile, m.periodsPerYear), paths[i], 0, 1, through + 1)
        e = { id, type: "observe", indicator: indicator.id, through: m.periods[through], ytd }
        break
      }
    }
    out.push(e)
    live.push(id)
  }
  return out
}

/**
 * A log of raw events each valid at its position when folded in order (from the empty state,
 * or from a base whose ids are given as `retractable`). Releases of an indicator all come from
 * one hidden growth path, so they never contradict each other nor imply a negative level.
 */
export const validStream = (m: ScenarioModel, options: StreamOptions = {}): fc.Arbitrary<RawEvent[]> =>
  fc
    .record({
      paths: fc.array(fc.array(growth, { minLength: m.periodsPerYear, maxLength: m.periodsPerYear }), {
        minLength: m.model.indicators.length,
        maxLength: m.model.indicators.length,
      }),
      commands: fc.array(command, { maxLength: options.maxLength ?? 25 }),
    })
    .map(({ paths, commands }) => build(m, paths, commands, options))

/** An event refused wherever it stands in a log generated here (its id starts with "bad"). */
export const invalidEvent = (m: ScenarioModel): fc.Arbitrary<unknown> => {
  // a year label two years past the horizon's last period: outside in every model
  const lastYear = Number(m.periods[m.periods.length - 1].slice(0, 4))
  const outside = `${lastYear + 2}`
  return fc.tuple(fc.nat(1_000_000), fc.nat(7)).map(([n, kind]): unknown => {
    const id = `bad${n}`
    switch (kind) {
      case 0:
        return { id, type: "shock", indicator: "no_such_variable", value: 1 }
      case 1:
        return { id, type: "shock", indicator: m.endogenous[0], value: 1, from: outside }
      case 2:
        return { id, type: "set-parameter", parameter: "no_such_parameter", value: 1 }
      case 3:
        return { id, type: "retract", event: `ghost${n}` }
      case 4:
        return { id, type: "shock", indicator: m.endogenous[0] } // no value
      case 5:
        return n % 2 ? 42 : null
      case 6:
        return { id, type: "observe", indicator: m.model.indicators[0]?.id ?? "x", through: m.periods[0], ytd: -150, bogus: true }
      default:
        return { id, type: "measure", name: "m", effects: [] }
    }
  })
}

/**
 * A valid log with duplicates (copies of earlier events of the log), conflicts (copies with
 * other content under the same id, which the fold refuses) and invalid events interleaved.
 * `valid` is the log alone; `invalidAt` the positions of the refused events in `stream`.
 */
export const noisyStream = (
  m: ScenarioModel,
  options: StreamOptions = {},
): fc.Arbitrary<{ stream: unknown[]; valid: RawEvent[]; invalidAt: number[] }> =>
  fc
    .record({
      valid: validStream(m, options),
      noise: fc.array(fc.record({ at: fc.nat(1000), dup: fc.boolean(), pick: fc.nat(1000), tweak: fc.boolean(), bad: invalidEvent(m) }), { maxLength: 15 }),
    })
    .map(({ valid, noise }) => {
      // Each insertion goes after a position of the valid log; a duplicate copies an event at or before it.
      const inserts = new Map<number, { item: unknown; refused: boolean }[]>()
      for (const x of noise) {
        const after = valid.length === 0 ? -1 : x.at % (valid.length + 1) - 1
        let item: unknown
        let refused = true
        if (x.dup && after >= 0) {
          const orig = valid[x.pick % (after + 1)]
          item = x.tweak ? { ...orig, note: "a copy with other content" } : structuredClone(orig)
          refused = x.tweak
        } else item = x.bad
        const list = inserts.get(after) ?? []
        list.push({ item, refused })
        inserts.set(after, list)
      }
      const stream: unknown[] = []
      const invalidAt: number[] = []
      const put = (after: number) => {
        for (const { item, refused } of inserts.get(after) ?? []) {
          if (refused) invalidAt.push(stream.length)
          stream.push(item)
        }
      }
      put(-1)
      valid.forEach((e, i) => {
        stream.push(e)
        put(i)
      })
      return { stream, valid, invalidAt }
    })
