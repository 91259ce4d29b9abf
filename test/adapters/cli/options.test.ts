// The command line's option parsing (adapters/cli/options.ts, configs/, main.ts on effect/cli),
// in process: each shared option kind refuses a bad value with exit status 2 and one message
// naming the option, before the command runs; unknown options get the closest names; every
// command's generated help lists every option it declares; `--name=value` is `--name value`.
import { fc, test } from "@fast-check/vitest"
import { describe, expect, it } from "vitest"
import * as A from "../../../adapters/cli/configs/analysis.ts"
import * as R from "../../../adapters/cli/configs/running.ts"
import { BASELINE, plancast, STACK_LINE } from "./run.ts"

/** The stderr of a usage error of `command`: the problem, then where the help is. */
const usage = (command: string, problem: string) => `plancast ${command}: ${problem}\nrun "plancast ${command} --help" for its usage\n`

describe("option kinds refuse bad values (exit 2, nothing run)", () => {
  it.each([
    // --draws: a non-negative integer, at most MAX_DRAWS
    [["project", BASELINE, "--draws", "-1"], "project", '--draws: must be a non-negative integer, got "-1"'],
    [["project", BASELINE, "--draws", "2.5"], "project", '--draws: must be a non-negative integer, got "2.5"'],
    [["project", BASELINE, "--draws=1e3"], "project", '--draws: must be a non-negative integer, got "1e3"'],
    [["compare", BASELINE, "--draws", "10000001"], "compare", "--draws: at most 10000000 draws, got 10000001"],
    [["calibrate", BASELINE, "--worlds", "x"], "calibrate", '--worlds: must be a non-negative integer, got "x"'],
    // --seed: a safe integer
    [["project", BASELINE, "--seed", "1.5"], "project", '--seed: must be an integer, got "1.5"'],
    [["batch", BASELINE, "--seed", "99999999999999999999"], "batch", '--seed: must be an integer, got "99999999999999999999"'],
    // --probability: strictly between 0 and 1
    [["seek", BASELINE, "--target", "fai", "--shock", "fai", "--probability", "0"], "seek", '--probability: must be a number strictly between 0 and 1, got "0"'],
    [["seek", BASELINE, "--target", "fai", "--shock", "fai", "--probability=1"], "seek", '--probability: must be a number strictly between 0 and 1, got "1"'],
    [["seek", BASELINE, "--probability", "NaN"], "seek", '--probability: must be a number strictly between 0 and 1, got "NaN"'],
    // a choice
    [["project", BASELINE, "--format", "xml"], "project", '--format: must be one of table, json, csv, got "xml"'],
    [["batch", BASELINE, "--format=table"], "batch", '--format: must be one of csv, ndjson, got "table"'],
    [["explain", BASELINE, "--group", "all"], "explain", '--group: must be one of none, releases, got "all"'],
    // a whole number, a port
    [["worker", "--concurrency", "two"], "worker", '--concurrency: must be a whole number, got "two"'],
    [["batch", BASELINE, "--nats", "nats://127.0.0.1:1", "--chunk", "-4"], "batch", '--chunk: must be a whole number, got "-4"'],
    [["serve", "--stdio", "--base", BASELINE, "--http", "70000"], "serve", '--http: must be a port number 0..65535, got "70000"'],
    [["studio", "--port", "x"], "studio", '--port: must be a port number 0..65535, got "x"'],
    // text: a value is needed, and not an empty one
    [["project", BASELINE, "--report="], "project", "--report needs a value"],
    [["publish", "events.ndjson", "--nats"], "publish", "--nats needs a value"],
    [["project", BASELINE, "--draws", "--seed", "1"], "project", "--draws needs a value"],
    [["batch", BASELINE, "--grid", ""], "batch", "--grid needs a value"],
    // the shape of the command line
    [["project", BASELINE, "other.yaml"], "project", 'unexpected argument "other.yaml"'],
    [["project"], "project", "missing <scenario>"],
    [["project", BASELINE, "--seed", "1", "--seed", "2"], "project", '--seed: at most 1 value'],
  ])("%j", async (argv, command, problem) => {
    const r = await plancast(argv)
    expect(r.stderr).toBe(usage(command, problem))
    expect(r.status).toBe(2)
    expect(r.stdout).toBe("")
    expect(r.stderr).not.toMatch(STACK_LINE)
  })
})

describe("unknown options and commands", () => {
  it("names the closest options of the command", async () => {
    const r = await plancast(["project", BASELINE, "--sede", "4"])
    expect(r).toEqual({ status: 2, stdout: "", stderr: usage("project", "unknown option --sede (did you mean --seed?)") })
    // an option of another command is unknown here
    expect((await plancast(["compare", BASELINE, "--bands", "all"])).stderr).toBe(usage("compare", "unknown option --bands"))
    expect((await plancast(["batch", BASELINE, "--worker", "2"])).stderr).toBe(usage("batch", "unknown option --worker (did you mean --workers?)"))
    expect((await plancast(["serve", "--stdi"])).stderr).toBe(usage("serve", "unknown option --stdi (did you mean --stdio?)"))
  })
  it("refuses options that go only with --nats on a local batch", async () => {
    const r = await plancast(["batch", BASELINE, "--chunk", "4"])
    expect(r.status).toBe(2)
    expect(r.stderr).toBe(usage("batch", "--chunk goes with --nats URL (a batch over NATS)"))
  })
  it("prints the version with --version and -V", async () => {
    const { version } = (await import("../../../package.json", { with: { type: "json" } })).default
    for (const flag of ["--version", "-V"]) expect(await plancast([flag])).toEqual({ status: 0, stdout: `plancast ${version}\n`, stderr: "" })
  })
  it("shows the overview on standard error with status 2 when no command is given", async () => {
    const r = await plancast([])
    expect(r.status).toBe(2)
    expect(r.stdout).toBe("")
    expect(r.stderr).toMatch(/^usage: plancast <subcommand>/)
    expect(r.stderr).toBe((await plancast(["--help"])).stdout)
  })
  it("reads `help [command]` as `[command] --help`", async () => {
    expect(await plancast(["help"])).toEqual(await plancast(["--help"]))
    const seek = await plancast(["help", "seek"])
    expect(seek.status).toBe(0)
    expect(seek.stdout).toBe((await plancast(["seek", "--help"])).stdout)
    expect(seek.stdout).toMatch(/^usage: plancast seek /)
  })
})

/** Every flag a command's config declares, groups included, by its key (the flag's name). */
const flagsOf = (config: object): string[] =>
  Object.entries(config).flatMap(([name, param]: [string, { kind?: string }]) => (param.kind === undefined ? flagsOf(param) : param.kind === "flag" ? [name] : []))

/** Each declared command (configs/) and its config. */
const commands = Object.entries({ ...A, ...R } as Record<string, unknown>).flatMap(([name, d]) =>
  typeof d === "object" && d !== null && "config" in d ? [[name, (d as { config: object }).config] as const] : [],
)

describe("generated help", () => {
  it("covers all sixteen commands", () => {
    expect(commands.map(([name]) => name).sort()).toEqual(
      ["backtest", "batch", "calibrate", "compare", "estimate", "explain", "multipliers", "project", "publish", "renorm", "seek", "serve", "start", "studio", "validate", "worker"],
    )
  })
  it.each(commands)("plancast %s --help lists every option it declares, and the overview names it", async (name, config) => {
    const r = await plancast([name, "--help"])
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(new RegExp(`^usage: plancast ${name} `))
    const listed = new Set([...r.stdout.matchAll(/^ {2}(--[a-z-]+)/gm)].map((m) => m[1]))
    const flags = flagsOf(config).map((f) => `--${f}`)
    expect(flags.length).toBeGreaterThan(0)
    expect([...listed].sort()).toEqual([...flags, "--help", "--version"].sort())
    expect((await plancast(["--help"])).stdout).toMatch(new RegExp(`^ {2}${name} `, "m"))
  })
})

describe("--name=value is --name value", () => {
  test.prop([fc.integer({ min: 0, max: 40 }), fc.integer({ min: -1000, max: 1000 }), fc.constantFrom("table", "json", "csv")], { numRuns: 12 })(
    "the same projection either way",
    async (draws, seed, format) => {
      const spaced = await plancast(["project", BASELINE, "--draws", String(draws), "--seed", String(seed), "--format", format])
      const joined = await plancast(["project", BASELINE, `--draws=${draws}`, `--seed=${seed}`, `--format=${format}`])
      expect(spaced.status).toBe(0)
      expect(joined).toEqual(spaced)
    },
  )
})
