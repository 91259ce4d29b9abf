// Tests of the live page's server (adapters/report/live.ts) over real HTTP, without a
// browser: the page as served, the server-sent event stream, the JSON state, escaping of
// scenario names, an occupied port, a clean close with streams open, and the hardening: security
// headers, the Host check, the cap on streams and the drop of a client that does not read.
import { readFileSync } from "node:fs"
import { createConnection, type Socket } from "node:net"
import { afterEach, describe, expect, it } from "vitest"
import { HISTORY } from "../../../adapters/report/live.ts"
import { startLivePage, type LivePage, type ReportProjection } from "../../../adapters/report/index.ts"

const fixture = (name: string): ReportProjection => JSON.parse(readFileSync(new URL(`../../fixtures/${name}.json`, import.meta.url), "utf8"))

let live: LivePage | undefined
afterEach(async () => {
  await live?.close()
  live = undefined
})

/** Reads server-sent events from a stream until `predicate` matches one, or times out. */
async function nextEvent(reader: ReadableStreamDefaultReader<Uint8Array>, buffer: { text: string }, predicate: (data: any) => boolean) {
  const decoder = new TextDecoder()
  const deadline = Date.now() + 5000
  for (;;) {
    let i: number
    while ((i = buffer.text.indexOf("\n\n")) >= 0) {
      const block = buffer.text.slice(0, i)
      buffer.text = buffer.text.slice(i + 2)
      const event = /^event: (.*)$/m.exec(block)?.[1]
      const data = /^data: (.*)$/m.exec(block)?.[1]
      if (event === "forecast" && data) {
        const parsed = JSON.parse(data)
        if (predicate(parsed)) return parsed
      }
    }
    if (Date.now() > deadline) throw new Error("no matching event within 5 s")
    const { value, done } = await reader.read()
    if (done) throw new Error("stream ended")
    buffer.text += decoder.decode(value, { stream: true })
  }
}

describe("startLivePage", () => {
  it("serves a page that says it waits, then the scenario's charts once published", async () => {
    live = await startLivePage({ port: 0 })
    expect(live.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    const before = await (await fetch(live.url)).text()
    expect(before).toContain("No forecast yet")
    live.publish("baseline", fixture("projection-baseline"), { id: "evt-42", at: "2024-04-15T10:00:00Z" })
    const after = await (await fetch(live.url)).text()
    expect(after).not.toContain("No forecast yet")
    expect((after.match(/<svg[^>]*class="fan-chart"/g) ?? []).length).toBe(8)
    expect(after).toContain(`data-event-id="evt-42"`)
    expect(after).toContain("2024-04-15T10:00:00Z")
    expect(after).toContain(`<section class="scenario-section" data-scenario="baseline" data-version="1">`)
  })

  it("pushes each publish to open streams, with the current state first", async () => {
    live = await startLivePage({ port: 0 })
    live.publish("baseline", fixture("projection-baseline"), { id: "a", at: "t1" })
    const res = await fetch(new URL("events", live.url))
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/)
    const reader = res.body!.getReader()
    const buffer = { text: "" }
    const first = await nextEvent(reader, buffer, () => true)
    expect(first).toMatchObject({ scenario: "baseline", version: 1, lastEvent: { id: "a", at: "t1" } })
    live.publish("stimulus", fixture("projection-stimulus"), { id: "b", at: "t2" })
    const second = await nextEvent(reader, buffer, () => true)
    expect(second).toMatchObject({ scenario: "stimulus", version: 1, lastEvent: { id: "b", at: "t2" } })
    expect(second.html).toContain(`class="fan-chart"`)
    live.publish("baseline", fixture("projection-downturn"), { id: "c", at: "t3" })
    const third = await nextEvent(reader, buffer, () => true)
    expect(third).toMatchObject({ scenario: "baseline", version: 2, lastEvent: { id: "c", at: "t3" } })
    expect(third.html).not.toBe(first.html)
    await reader.cancel()
  })

  it("draws each indicator's evolution over the scenario's forecasts, marked by what moved it, from the second forecast on", async () => {
    live = await startLivePage({ port: 0 })
    live.publish("baseline", fixture("projection-baseline"), { id: "r-jan", at: "t1", kind: "release" })
    expect(await (await fetch(live.url)).text()).not.toContain(`class="evolution-chart"`)
    live.publish("baseline", fixture("projection-downturn"), { id: "shock-1", at: "t2" })
    live.publish("baseline", fixture("projection-stimulus"), { id: "r-feb", at: "t3", kind: "revision" })
    const html = await (await fetch(live.url)).text()
    const charts = html.match(/<svg[^>]*class="evolution-chart"[\s\S]*?<\/svg>/g) ?? []
    expect(charts.length).toBe(8)
    for (const svg of charts) {
      expect([...svg.matchAll(/class="release" data-kind="([a-z]+)"/g)].map((m) => m[1])).toEqual(["release", "event", "revision"])
      expect(svg).toContain("as of each forecast")
    }
    // the annual medians the gdp chart shows are the three projections' own, in order
    const gdp = charts.find((c) => c.includes(`data-indicator="gdp"`))!
    const tips = [...gdp.matchAll(/<title>as of ([^:]+): p50 ([-0-9.]+)/g)].map((m) => [m[1], Number(m[2])])
    const p50 = (name: string) => fixture(name).indicators!.find((i) => i.id === "gdp")!.annual!.p50 as number
    expect(tips.map((t) => t[0])).toEqual(["r-jan", "shock-1 (event)", "r-feb (revision)"])
    tips.forEach((t, i) => expect(t[1]).toBeCloseTo(p50(["projection-baseline", "projection-downturn", "projection-stimulus"][i]!), 2))
    // the history is bounded: after many forecasts the chart shows the last HISTORY
    for (let k = 0; k < HISTORY + 5; k++) live.publish("baseline", fixture("projection-baseline"), { id: `e${k}`, at: "t" })
    const later = (await (await fetch(live.url)).text()).match(/<svg[^>]*class="evolution-chart"[\s\S]*?<\/svg>/)![0]
    expect((later.match(/class="release"/g) ?? []).length).toBe(HISTORY)
    expect(later).toContain(`as of e${HISTORY + 4} (event)`)
    expect(later).not.toContain("as of r-jan")
  })

  it("serves the latest projection per scenario as JSON, and 404 elsewhere", async () => {
    live = await startLivePage({ port: 0 })
    const p = fixture("projection-stimulus")
    live.publish("stimulus", p, { id: "x", at: "y" })
    const state = (await (await fetch(new URL("state.json", live.url))).json()) as Record<string, { projection: unknown; lastEvent: unknown }>
    expect(state.stimulus.projection).toEqual(p)
    expect(state.stimulus.lastEvent).toEqual({ id: "x", at: "y", kind: "event" })
    expect((await fetch(new URL("nope", live.url))).status).toBe(404)
  })

  it("escapes scenario names and event ids in the page", async () => {
    live = await startLivePage({ port: 0 })
    live.publish(`<script>alert(1)</script>`, fixture("projection-empty"), { id: `"><img src=x>`, at: "<b>now</b>" })
    const html = await (await fetch(live.url)).text()
    expect(html.match(/<script/g)?.length).toBe(1) // the page's own script only
    expect(html).not.toMatch(/<img|<b>now/)
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;")
  })

  it("rejects when the port is taken, and closes with streams open", async () => {
    live = await startLivePage({ port: 0 })
    const port = Number(new URL(live.url).port)
    await expect(startLivePage({ port })).rejects.toThrow(/EADDRINUSE/)
    const res = await fetch(new URL("events", live.url))
    const reader = res.body!.getReader()
    await reader.read()
    await live.close()
    live = undefined
    await expect((async () => { for (;;) if ((await reader.read()).done) return "ended" })()).resolves.toBe("ended")
  })
})

/** A raw HTTP request with the Host header given, read whole (or its head for a stream). */
const rawGet = (port: number, path: string, host: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const socket = createConnection({ host: "127.0.0.1", port }, () => socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`))
    let text = ""
    socket.on("data", (d) => (text += d.toString()))
    socket.on("end", () => resolve(text))
    socket.on("error", reject)
  })

describe("live page hardening", () => {
  it("sends CSP (the script by its hash, no framing), X-Frame-Options and nosniff on every response", async () => {
    live = await startLivePage({ port: 0 })
    for (const path of ["/", "/events", "/state.json", "/nope"]) {
      const controller = new AbortController()
      const res = await fetch(new URL(path, live.url), { signal: controller.signal })
      const csp = res.headers.get("content-security-policy") ?? ""
      expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/)
      expect(csp).toContain("frame-ancestors 'none'")
      expect(csp).toContain("default-src 'none'")
      expect(res.headers.get("x-frame-options")).toBe("DENY")
      expect(res.headers.get("x-content-type-options")).toBe("nosniff")
      controller.abort()
    }
  })

  it("answers only to loopback names and its own host: a rebinding name gets 421 and no state", async () => {
    live = await startLivePage({ port: 0 })
    live.publish("base", fixture("projection-baseline"), { id: "e1", at: "t" })
    const port = Number(new URL(live.url).port)
    const evil = await rawGet(port, "/state.json", `attacker.example:${port}`)
    expect(evil).toMatch(/^HTTP\/1\.1 421/)
    expect(evil).not.toContain("\"base\"")
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) expect(await rawGet(port, "/state.json", host)).toMatch(/^HTTP\/1\.1 200[\s\S]*"base"/)
    expect(await rawGet(port, "/state.json", "")).toMatch(/^HTTP\/1\.1 (400|421)/)
  })

  it("caps the event streams and drops a client that does not read instead of buffering for ever", async () => {
    live = await startLivePage({ port: 0, maxClients: 2, maxBufferedBytes: 64 * 1024 })
    const page = live
    const port = Number(new URL(page.url).port)
    // two clients that never read: raw sockets, paused
    const idle = [0, 1].map(
      () =>
        new Promise<Socket>((resolve) => {
          const s = createConnection({ host: "127.0.0.1", port }, () => {
            s.write(`GET /events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`)
            s.pause()
            resolve(s)
          })
        }),
    )
    const sockets = await Promise.all(idle)
    try {
      await waitUntil(() => page.clients() === 2)
      expect(await rawGet(port, "/events", `127.0.0.1:${port}`)).toMatch(/^HTTP\/1\.1 503/)
      const projection = fixture("projection-baseline")
      for (let i = 0; i < 2000 && page.clients() > 0; i++) {
        page.publish(`s${i % 5}`, projection, { id: `e${i}`, at: "t" })
        if (i % 50 === 0) await new Promise((r) => setImmediate(r))
      }
      await waitUntil(() => page.clients() === 0)
      expect(page.clients()).toBe(0)
    } finally {
      for (const s of sockets) s.destroy()
    }
  })
})

const waitUntil = async (f: () => boolean) => {
  for (let i = 0; i < 1000 && !f(); i++) await new Promise((r) => setTimeout(r, 10))
}
