// adapters/cli/failure.ts: expected failures are status 2 with located messages and no stack;
// a defect is status 1 with a short message, its stack only with PLANCAST_DEBUG=1.
import { afterEach, describe, expect, it } from "vitest"
import { describeFailure, Unavailable } from "../../../adapters/cli/failure.ts"
import { InvalidInput } from "../../../adapters/files/located.ts"
import { UsageError } from "../../../adapters/cli/failure.ts"
import { ConvergenceError, ModelError, OptionError, SeekError } from "../../../engine/errors.ts"

afterEach(() => {
  delete process.env.PLANCAST_DEBUG
})

describe("describeFailure", () => {
  it("prints every located issue as file:line: path: problem, status 2", () => {
    const e = new InvalidInput({
      issues: [
        { file: "m.yaml", line: 42, path: ["equations", "gdp"], problem: 'unknown identifier "x"' },
        { file: "m.yaml", path: [], problem: "file not found" },
      ],
    })
    expect(describeFailure("project", e)).toEqual({ lines: ['m.yaml:42: equations.gdp: unknown identifier "x"', "m.yaml: file not found"], status: 2 })
  })
  it("gives usage and option errors status 2, pointing at the help", () => {
    expect(describeFailure("seek", new UsageError({ command: "seek", problem: "missing --target" }))).toEqual({
      lines: ["plancast seek: missing --target", 'run "plancast seek --help" for its usage'],
      status: 2,
    })
    expect(describeFailure("project", new OptionError({ option: "--draws", problem: "bad" })).status).toBe(2)
    expect(describeFailure("project", new ModelError({ path: ["a"], problem: "p" })).status).toBe(2)
    expect(describeFailure("project", new ConvergenceError({ variables: ["y"], period: "2024-01", iterations: 3, residual: 1 })).status).toBe(2)
  })
  it("gives a failed goal-seek and a missing part status 1 with their reason", () => {
    expect(describeFailure("seek", new SeekError({ problem: "no shock reaches it" }))).toEqual({ lines: ["plancast seek: no shock reaches it"], status: 1 })
    expect(describeFailure("serve", new Unavailable({ what: "x" })).lines).toEqual(["plancast serve: x is not available in this build"])
  })
  it("reports a defect briefly, with its stack only under PLANCAST_DEBUG=1", () => {
    const quiet = describeFailure("project", new TypeError("boom"))
    expect(quiet.status).toBe(1)
    expect(quiet.lines[0]).toBe("plancast project: internal error: boom")
    expect(quiet.lines.join("\n")).not.toMatch(/\n\s+at /)
    process.env.PLANCAST_DEBUG = "1"
    expect(describeFailure("project", new TypeError("boom")).lines.join("\n")).toMatch(/\n\s+at /)
  })
})
