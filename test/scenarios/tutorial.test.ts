// The tutorial (scenarios/tutorial/README.md) runs as shown: every `npx plancast ...` line of its
// sh blocks runs in process through the command line (test/adapters/cli/run.ts) and exits 0, each
// line of the text block right after it is a line of its output, and each yaml block headed
// `# file: <path>` is that file, byte for byte. So the walkthrough cannot drift from the engine.
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { plancast, ROOT } from "../adapters/cli/run.ts"

const TUTORIAL = "scenarios/tutorial/README.md"
const text = readFileSync(join(ROOT, TUTORIAL), "utf8")

interface Block {
  readonly lang: string
  readonly body: string
  /** Whether only blank lines separate this block from the one before it. */
  readonly adjacent: boolean
}

/** The fenced blocks of a Markdown text, in order. */
const blocksOf = (markdown: string): Block[] => {
  const out: Block[] = []
  let end = 0
  for (const m of markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)) {
    out.push({ lang: m[1]!, body: m[2]!, adjacent: out.length > 0 && markdown.slice(end, m.index).trim() === "" })
    end = m.index! + m[0].length
  }
  return out
}

interface Step {
  readonly args: string[]
  /** Lines its output must contain, from the text block after it. */
  readonly shows: string[]
}

const stepsOf = (blocks: readonly Block[]): Step[] =>
  blocks.flatMap((b, i) => {
    if (b.lang !== "sh") return []
    const commands = b.body.split("\n").filter((l) => l.trim() !== "")
    const next = blocks[i + 1]
    const shows = next?.lang === "text" && next.adjacent ? next.body.split("\n").filter((l) => l.trim() !== "") : []
    return commands.map((command, k) => {
      expect(command, "a tutorial command is one plain npx plancast line (no quotes, pipes or comments)").toMatch(/^npx plancast [^'"|#<>;&]+$/)
      return { args: command.replace(/^npx plancast /, "").trim().split(/\s+/), shows: k === commands.length - 1 ? shows : [] }
    })
  })

const blocks = blocksOf(text)
const steps = stepsOf(blocks)
const files = blocks.filter((b) => b.lang === "yaml" && b.body.startsWith("# file: "))

describe(`the tutorial, ${TUTORIAL}`, () => {
  it("walks from a model to a shock, a release, draws, news and seek", () => {
    const shown = steps.map((s) => s.args.join(" "))
    expect(steps.length).toBeGreaterThanOrEqual(8)
    expect(shown.some((c) => c.startsWith("project ") && c.includes("--draws"))).toBe(true)
    expect(shown.some((c) => c.startsWith("explain ") && c.includes("--news"))).toBe(true)
    expect(shown.some((c) => c.startsWith("seek "))).toBe(true)
    const events = files.map((f) => f.body).join("\n")
    expect(events).toContain("type: shock")
    expect(events).toContain("type: observe")
  })

  for (const f of files) {
    const [head, ...rest] = f.body.split("\n")
    const path = head!.replace("# file: ", "").trim()
    it(`shows ${path} as it is`, () => {
      expect(readFileSync(join(ROOT, path), "utf8")).toBe(rest.join("\n"))
    })
  }

  for (const step of steps) {
    it(`runs: plancast ${step.args.join(" ")}`, async () => {
      const r = await plancast(step.args)
      expect(r.stderr).toBe("")
      expect(r.status).toBe(0)
      const lines = r.stdout.split("\n").map((l) => l.trimEnd())
      expect(step.shows.filter((l) => !lines.includes(l.trimEnd()))).toEqual([])
    })
  }

  it("checks what it says it checks: a shown line missing from the output is caught", () => {
    const parsed = stepsOf(blocksOf("```sh\nnpx plancast project a.yaml\n```\n\n```text\nx  1\n```\n\nprose\n\n```text\nnot shown\n```\n"))
    expect(parsed).toEqual([{ args: ["project", "a.yaml"], shows: ["x  1"] }])
  })
})
