// The studio's session and server (adapters/studio/session.ts, server.ts) over HTTP on
// loopback: a change answers with the new projection's fragments and moves P(target); a
// refused change is a 400 with its reason and changes nothing; saving writes a scenario file
// that loads and projects to the same numbers (so `compare` and `explain` read it), and it
// joins the folder's list; requests from another origin, with a foreign Host or not in JSON
// are refused.
import { readFileSync } from "node:fs"
import { request } from "node:http"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { project } from "../../../engine/index.ts"
import { loadScenarioStrict } from "../../../adapters/files/load.ts"
import { startLivePage } from "../../../adapters/report/index.ts"
import { startStudio, studioHandler, type StudioServer } from "../../../adapters/studio/server.ts"
import { StudioSession } from "../../../adapters/studio/session.ts"
import { studioFolder } from "./fixture.ts"

const folder = studioFolder()
let session: StudioSession
let server: StudioServer

/** One HTTP request to the studio with the given headers; resolves with status and parsed body. */
function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const url = new URL(path, server.url)
  const data = body === undefined ? undefined : JSON.stringify(body)
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { ...(data ? { "content-type": "application/json" } : {}), ...headers } }, (res) => {
      const chunks: Buffer[] = []
      res.on("data", (c) => chunks.push(c))
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8")
        let parsed: unknown = text
        try {
          parsed = JSON.parse(text)
        } catch {}
        resolve({ status: res.statusCode ?? 0, body: parsed })
      })
    })
    req.on("error", reject)
    req.end(data)
  })
}

beforeAll(async () => {
  session = await StudioSession.open(join(folder.dir, "baseline.yaml"), { draws: 500, seed: 3 })
  server = await startStudio(session, { port: 0 })
})
afterAll(async () => {
  await server?.close()
  folder.remove()
})

describe("studio server", () => {
  it("serves the page with a slider per uncertain parameter, its own script only, and lists the folder's scenarios", async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    const page = await call("GET", "/")
    expect(page.status).toBe(200)
    expect(page.body).toContain(`data-kind="parameter" data-id="persist_fai"`)
    expect(page.body).toMatch(/script-src 'sha256-[^']+'; connect-src 'self'/)
    expect(session.scenarios.map((s) => s.file)).toEqual(["baseline.yaml", "consumption-push.yaml", "fai-slump.yaml"])
    expect(page.body).toContain(`<p class="probability" data-indicator="fai"`)
  })

  it("answers a change with the new projection and the news of what it moved", async () => {
    const before = session.projection.indicators.find((i) => i.id === "fai")!.probability!
    const r = await call("POST", "/api/change", { kind: "parameter", parameter: "persist_fai", value: 0 })
    expect(r.status).toBe(200)
    expect(r.body.version).toBe(1)
    const after = session.projection.indicators.find((i) => i.id === "fai")!.probability!
    expect(after).toBeGreaterThan(before)
    expect(r.body.projection).toContain(`data-probability="${after}"`)
    expect(r.body.news).toContain("persist_fai set to 0")
    expect(r.body.values["parameter:persist_fai"]).toBe(0)
    // the studio's projection is the engine's on the same events
    const direct = project(session.picked.compiled, session.state, { draws: 500, seed: 3, scenario: session.name })
    expect(session.projection).toEqual(direct)
  })

  it("refuses a change the fold refuses, with its reason, and keeps the session as it was", async () => {
    const version = session.version
    const events = session.draft.entries.length
    const bad = await call("POST", "/api/change", { kind: "shock", indicator: "fai", value: 1, from: "2024-06", to: "2024-03" })
    expect(bad.status).toBe(400)
    expect(bad.body.error).toMatch(/event "studio-\d+-shock-fai".*to.*before from/)
    expect((await call("POST", "/api/change", { kind: "parameter", parameter: "persist_fai", value: "x" })).body.error).toBe("value must be a finite number")
    expect((await call("POST", "/api/change", { kind: "teleport" })).status).toBe(400)
    expect([session.version, session.draft.entries.length]).toEqual([version, events])
  })

  it("refuses other origins, foreign Host names and bodies that are not JSON", async () => {
    expect((await call("POST", "/api/change", { kind: "remove", event: "x" }, { origin: "http://evil.example" })).status).toBe(403)
    expect((await call("GET", "/", undefined, { host: "evil.example" })).status).toBe(421)
    expect((await call("POST", "/api/explain", undefined, { "content-type": "text/plain" })).status).toBe(415)
    expect((await call("GET", "/api/change")).status).toBe(405)
  })

  it("explains the changes against the picked scenario, exactly", async () => {
    await call("POST", "/api/change", { kind: "exogenous", series: "re_inv", shift: 4 })
    const a = session.explain()
    const fai = a.indicators.find((i) => i.id === "fai")!
    expect(fai.contributions.map((c) => c.event)).toEqual(session.draft.entries.map((d) => d.event.id))
    expect(fai.contributions.reduce((s, c) => s + c.value, 0)).toBeCloseTo(fai.total, 9)
    const r = await call("POST", "/api/explain", {})
    expect(r.body.html).toContain(`<svg xmlns="http://www.w3.org/2000/svg" class="waterfall" data-indicator="fai"`)
  })

  it("saves the changes as a scenario file on the picked one, which replays to the same projection and joins the list", async () => {
    const shown = session.projection
    const refused = await call("POST", "/api/save", { name: "../escape" })
    expect(refused.status).toBe(400)
    const r = await call("POST", "/api/save", { name: "desk" })
    expect(r.body).toEqual({ file: "desk.yaml" })
    const text = readFileSync(join(folder.dir, "desk.yaml"), "utf8")
    expect(text).toMatch(/^base: \.\/baseline\.yaml$/m)
    expect(text).toMatch(/^model: \.\/model\.yaml$/m)
    const replayed = await loadScenarioStrict(join(folder.dir, "desk.yaml"))
    const again = project(replayed.compiled, replayed.state, { draws: 500, seed: 3, scenario: "desk" })
    expect(again.indicators.map((i) => i.probability)).toEqual(shown.indicators.map((i) => i.probability))
    expect(session.picked.name).toBe("desk")
    expect(session.draft.entries).toEqual([])
    expect(session.scenarios.map((s) => s.file)).toContain("desk.yaml")
    expect((await call("POST", "/api/save", { name: "desk" })).status).toBe(400) // no changes, and the name is taken
    const cmp = await call("POST", "/api/compare", { files: ["baseline.yaml"] })
    expect(cmp.body.html).toContain(`<g class="panel" data-scenario="desk">`)
    expect(cmp.body.html).toContain(`<g class="panel" data-scenario="baseline">`)
    expect((await call("POST", "/api/compare", { files: ["../../etc/passwd"] })).status).toBe(400)
  })
})

describe("studio under serve --http", () => {
  it("is served at /studio/ of the live page, which keeps its own routes", async () => {
    const own = await StudioSession.open(join(folder.dir, "fai-slump.yaml"), { draws: 200, seed: 1 })
    const live = await startLivePage({ port: 0, routes: studioHandler(own, "/studio/") })
    try {
      const get = async (path: string) => {
        const r = await fetch(new URL(path, live.url), { redirect: "manual" })
        return { status: r.status, text: await r.text(), location: r.headers.get("location") }
      }
      const studio = await get("/studio/")
      expect(studio.status).toBe(200)
      expect(studio.text).toContain("<h1>plancast studio</h1>")
      expect(studio.text).toContain(`data-kind="parameter" data-id="persist_fai"`)
      expect(await get("/studio")).toMatchObject({ status: 301, location: "/studio/" })
      const r = await fetch(new URL("/studio/api/change", live.url), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ kind: "parameter", parameter: "persist_fai", value: 0.7 }) })
      expect(r.status).toBe(200)
      expect(own.version).toBe(1)
      expect((await get("/")).text).toContain("plancast live")
      expect((await get("/nothing")).status).toBe(404)
    } finally {
      await live.close()
    }
  })
})
