// The command line's bundle (adapters/cli/bundle.mjs), built into a temporary directory: it
// answers every command as the sources do (files found next to a source, package.json and
// scenarios/, are found from the bundle too; batch's worker threads start from their bundled
// entries; failures carry the same messages and exit status),
// its manifest lists the sources it was built from, and it stops being fresh when any input
// recorded in the manifest differs from the file on disk.
import { spawnSync } from "node:child_process"
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { build, freshBundle } from "../../../adapters/cli/bundle.mjs"
import { BASELINE, plancast, ROOT } from "./run.ts"

const dir = mkdtempSync(join(tmpdir(), "plancast-bundle-"))
let entry: string

beforeAll(async () => {
  await build(dir)
  entry = freshBundle(dir)!
  // a file, as bin.mjs is: a worker thread inherits its parent's flags, and `-e` is not one it can take
  writeFileSync(join(dir, "run.mjs"), `const { main } = await import(${JSON.stringify(entry)}); process.exitCode = await main(process.argv.slice(2))\n`)
}, 180_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Runs `plancast ...args` from the bundle, in a child process. */
const bundled = (args: readonly string[]) => {
  const r = spawnSync(process.execPath, [join(dir, "run.mjs"), ...args], { cwd: ROOT, encoding: "utf8", timeout: 120_000, env: { ...process.env, PLANCAST_DEBUG: "" } })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe("the bundle", () => {
  it("is fresh once built, its entry in the build directory", () => {
    expect(entry).toMatch(/^file:.*\/main\.mjs$/)
    expect(entry.startsWith(`file://${dir}`)).toBe(true)
  })

  it.each([
    [["--version"]],
    [["validate", "scenarios/duji-2024/model.yaml"]],
    [["validate", BASELINE]],
    [["validate", "--base", BASELINE, "scenarios/duji-2024/events.ndjson"]],
    [["project", BASELINE, "--draws", "0"]],
    [["project", BASELINE, "--draws", "200", "--seed", "3", "--format", "json"]],
    [["start"]],
    [["batch", BASELINE, "--grid", "fai=-5:5:5", "--draws", "50", "--workers", "2"]],
    [["validate", "scenarios/duji-2024/no-such-file.yaml"]],
    [["project", BASELINE, "--draw", "10"]],
  ])("answers %j as the sources do", async (args) => {
    const [fromBundle, fromSources] = [bundled(args), await plancast(args)]
    expect(fromBundle).toEqual(fromSources)
  }, 120_000)

  it("lists the sources it was built from", () => {
    const { inputs } = JSON.parse(readFileSync(join(dir, "inputs.json"), "utf8")) as { inputs: [string, number, number][] }
    const files = inputs.map(([file]) => file)
    for (const source of ["adapters/cli/main.ts", "adapters/cli/commands/validate.ts", "adapters/batch/compute-thread.ts", "engine/index.ts", "engine/compile/math.ts", "adapters/cli/bundle.mjs"]) expect(files).toContain(source)
    expect(files.some((f) => f.endsWith("node_modules/mathjs/package.json"))).toBe(true)
  })

  it("starts worker threads from their bundled entries, not from the sources", () => {
    const chunks = readdirSync(dir).filter((f) => f.endsWith(".mjs")).map((f) => readFileSync(join(dir, f), "utf8"))
    for (const thread of ["compute-thread"]) {
      expect(readdirSync(dir)).toContain(`${thread}.mjs`)
      expect(chunks.some((c) => c.includes(`new URL("./${thread}.mjs", import.meta.url)`))).toBe(true)
      expect(chunks.some((c) => c.includes(`${thread}.ts"`))).toBe(false)
    }
  })

  it("is not fresh when an input differs from what the manifest recorded, or without a manifest", () => {
    const manifest = join(dir, "inputs.json")
    const text = readFileSync(manifest, "utf8")
    const doc = JSON.parse(text) as { entry: string; inputs: [string, number, number][] }
    try {
      for (const change of [(i: [string, number, number]) => [i[0], i[1] + 1, i[2]], (i: [string, number, number]) => [i[0], i[1], i[2] - 1000]]) {
        const inputs = doc.inputs.map((input) => (input[0] === "engine/index.ts" ? change(input) : input))
        writeFileSync(manifest, JSON.stringify({ ...doc, inputs }))
        expect(freshBundle(dir)).toBeUndefined()
      }
      rmSync(manifest)
      expect(freshBundle(dir)).toBeUndefined()
    } finally {
      writeFileSync(manifest, text)
    }
    expect(freshBundle(dir)).toBe(entry)
  })
})
