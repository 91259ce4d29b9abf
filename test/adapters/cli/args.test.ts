// adapters/cli/args.ts: options by kind, usage errors, the limits of --draws, --seed, --probability.
import { describe, expect, it } from "vitest"
import { parseArgs, type CommandSpec } from "../../../adapters/cli/args.ts"

const spec: CommandSpec = {
  command: "t",
  options: {
    draws: { kind: "draws" },
    seed: { kind: "seed" },
    probability: { kind: "probability" },
    format: { kind: "choice", values: ["table", "json"] },
    report: { kind: "string" },
    stdio: { kind: "flag" },
    tag: { kind: "string", repeat: true },
  },
  positionals: { min: 1, max: 2, name: "a file" },
}
const parse = (...argv: string[]) => parseArgs(spec, argv)
const refusal = (...argv: string[]): { _tag: string; message: string } => {
  try {
    parse(...argv)
  } catch (e) {
    return e as never
  }
  throw new Error("expected a refusal")
}

describe("parseArgs", () => {
  it("reads options in both spellings, anywhere among the positionals", () => {
    const a = parse("--draws", "10", "a.yaml", "--seed=-4", "--format", "json", "--stdio", "b.yaml", "--tag", "x", "--tag=y")
    expect(a.positionals).toEqual(["a.yaml", "b.yaml"])
    expect(a.options).toEqual({ draws: 10, seed: -4, format: "json", stdio: true, tag: ["x", "y"] })
    expect(a.help).toBe(false)
  })
  it("takes everything after -- as positionals", () => {
    expect(parse("--", "--draws").positionals).toEqual(["--draws"])
  })
  it("asks for help with --help or -h, whatever else is missing", () => {
    expect(parse("--help").help).toBe(true)
    expect(parse("-h").help).toBe(true)
  })
  it.each([
    [["a", "--nope"], "UsageError", "unknown option --nope"],
    [["a", "-x"], "UsageError", "unknown option -x"],
    [["a", "--draws"], "UsageError", "--draws needs a value"],
    [["a", "--draws", "--seed", "1"], "UsageError", "--draws needs a value"],
    [["a", "--stdio=yes"], "UsageError", "--stdio takes no value"],
    [["a", "--seed", "1", "--seed", "2"], "UsageError", "--seed given twice"],
    [[], "UsageError", "missing a file"],
    [["a", "b", "c"], "UsageError", 'unexpected argument "c"'],
    [["a", "--draws", "-1"], "OptionError", "--draws: must be a non-negative integer"],
    [["a", "--draws", "2.5"], "OptionError", "--draws: must be a non-negative integer"],
    [["a", "--draws", "1e3"], "OptionError", "--draws: must be a non-negative integer"],
    [["a", "--draws", "10000001"], "OptionError", "--draws: at most 10000000 draws"],
    [["a", "--seed", "1.5"], "OptionError", "--seed: must be an integer"],
    [["a", "--seed", "99999999999999999999"], "OptionError", "--seed: must be an integer"],
    [["a", "--probability", "0"], "OptionError", "--probability: must be a number strictly between 0 and 1"],
    [["a", "--probability", "1"], "OptionError", "--probability: must be a number strictly between 0 and 1"],
    [["a", "--probability", "NaN"], "OptionError", "--probability: must be a number strictly between 0 and 1"],
    [["a", "--format", "xml"], "OptionError", '--format: must be one of table, json, got "xml"'],
    [["a", "--report="], "OptionError", "--report: must not be empty"],
  ])("refuses %j", (argv, tag, message) => {
    const e = refusal(...argv)
    expect(e._tag).toBe(tag)
    expect(e.message).toContain(message)
  })
  it("accepts the limits", () => {
    expect(parse("a", "--draws", "0").options.draws).toBe(0)
    expect(parse("a", "--draws", "10000000").options.draws).toBe(10_000_000)
    expect(parse("a", "--probability", "0.9").options.probability).toBe(0.9)
  })
})
