// adapters/service/cause.ts: the text of a foreign failure's cause, and the message of the
// shell's tagged errors built from it; `trying`, a throwing call as an Effect.
import { describe, expect, it } from "vitest"
import { Cause, Effect, Exit } from "effect"
import { OptionError } from "../../../engine/index.ts"
import { causeText, failureText, oneOf, trying } from "../../../adapters/service/cause.ts"
import { TransportError } from "../../../adapters/service/cause.ts"

describe("causeText", () => {
  it("gives an Error's message, a string as is, a plain value's JSON, nothing for no cause", () => {
    expect(causeText(undefined)).toBe("")
    expect(causeText(new Error("boom"))).toBe("boom")
    expect(causeText("consumer_deleted")).toBe("consumer_deleted")
    expect(causeText({ code: 503, description: "no responders" })).toBe('{"code":503,"description":"no responders"}')
    expect(causeText(42)).toBe("42")
  })

  it("falls back to the string form where there is no JSON", () => {
    const cyclic: { self?: unknown } = {}
    cyclic.self = cyclic
    expect(causeText(cyclic)).toBe("[object Object]")
    expect(causeText(Object.create(null))).toBe("{}")
    expect(causeText(Symbol.for("x"))).toBe("Symbol(x)")
  })
})

describe("failureText", () => {
  it("names who failed at what, and why when known", () => {
    expect(failureText("nats", "ack 3", undefined)).toBe("nats: ack 3 failed")
    expect(new TransportError({ transport: "stdio", operation: "read", cause: new Error("EPIPE") }).message).toBe("stdio: read failed: EPIPE")
  })
})

describe("trying", () => {
  it("fails with what it expects and dies on anything else", async () => {
    const bad = new OptionError({ option: "--x", problem: "no" })
    const expected = await Effect.runPromise(Effect.flip(trying(() => { throw bad }, oneOf(OptionError))))
    expect(expected).toBe(bad)
    const defect = new RangeError("a bug")
    const exit = await Effect.runPromiseExit(trying(() => { throw defect }, oneOf(OptionError)))
    expect(Exit.isFailure(exit) && Cause.hasDies(exit.cause) && !Cause.hasFails(exit.cause) && Cause.squash(exit.cause) === defect).toBe(true)
  })
})
