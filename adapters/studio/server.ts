// The studio's HTTP server: a shell over a StudioSession on the local machine. Routes:
// GET / (the page, rendered from the session, usable as is and live with its own script),
// GET /api/state (the session as JSON: picked scenario, draft events, projection),
// POST /api/change | /api/save | /api/open | /api/explain | /api/compare (JSON in, JSON out).
// Invariants: listens on 127.0.0.1 unless told otherwise; answers only requests whose Host
// names the address it listens on or localhost (no DNS rebinding), only JSON POSTs from its
// own origin (no cross-site form posts), bodies up to 64 KiB; a refused change is a 400 with
// the reason and leaves the session as it was; the page fetches nothing but its own API.
// Requests are handled one at a time (a change waits for the one before it).
// Shell: owns a listening socket.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import type { Change } from "./draft.ts"
import { EXPORT_SCRIPT, pageShell } from "../report/index.ts"
import { STUDIO_SCRIPT } from "./script.ts"
import { Refused, type StudioSession } from "./session.ts"
import { compareHtml, explainHtml, fragments, pageBody, STUDIO_STYLE, type StudioView } from "./view.ts"

/** Where the studio listens; `port: 0` picks a free one. */
export interface StudioServerOptions {
  readonly port: number
  /** Default 127.0.0.1. */
  readonly host?: string
}

/** A running studio. */
export interface StudioServer {
  readonly url: string
  close(): Promise<void>
}

const MAX_BODY = 64 * 1024

/** The session as the page shows it. */
export function viewOf(s: StudioSession): StudioView {
  const own = s.picked.state.events.map((e) => e.id)
  return {
    name: s.name,
    pickedName: s.picked.name,
    pickedFile: s.pickedFile,
    model: s.picked.compiled.model.name,
    draws: s.options.draws,
    seed: s.options.seed,
    version: s.version,
    projection: s.projection,
    draft: s.draft,
    controls: s.controls,
    news: s.news,
    scenarios: s.scenarios,
    scenarioEvents: own,
  }
}

/** The page's HTML. */
export function studioPage(s: StudioSession): string {
  const body = `<style>${STUDIO_STYLE}</style>` + pageBody(viewOf(s))
  return pageShell({ title: `plancast studio: ${s.picked.name}`, body, script: EXPORT_SCRIPT + STUDIO_SCRIPT })
}

const json = (res: ServerResponse, status: number, value: unknown) =>
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" }).end(JSON.stringify(value))

const readBody = (req: IncomingMessage): Promise<unknown> =>
  new Promise((resolve, reject) => {
    let size = 0
    const chunks: Buffer[] = []
    req.on("data", (c: Buffer) => {
      size += c.length
      if (size > MAX_BODY) {
        reject(new Refused(`request body over ${MAX_BODY} bytes`))
        req.destroy()
      } else chunks.push(c)
    })
    req.on("end", () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}"))
      } catch {
        reject(new Refused("the request body is not JSON"))
      }
    })
    req.on("error", reject)
  })

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x)
const finite = (x: unknown, what: string): number => {
  if (typeof x !== "number" || !Number.isFinite(x)) throw new Refused(`${what} must be a finite number`)
  return x
}
const string = (x: unknown, what: string): string => {
  if (typeof x !== "string" || !x || x.length > 200) throw new Refused(`${what} must be a non-empty string`)
  return x
}
const optional = (x: unknown, what: string): string | undefined => (x === undefined || x === "" ? undefined : string(x, what))

/** A change as the page posts it, checked field by field. */
export function decodeChange(raw: unknown): Change {
  if (!isObject(raw)) throw new Refused("a change is a JSON object")
  switch (raw.kind) {
    case "parameter":
      return { kind: "parameter", parameter: string(raw.parameter, "parameter"), value: finite(raw.value, "value") }
    case "exogenous":
      return { kind: "exogenous", series: string(raw.series, "series"), shift: finite(raw.shift, "shift") }
    case "shock": {
      const sd = raw.sd === undefined ? undefined : finite(raw.sd, "sd")
      return { kind: "shock", indicator: string(raw.indicator, "indicator"), value: finite(raw.value, "value"), from: optional(raw.from, "from"), to: optional(raw.to, "to"), ...(sd ? { sd } : {}) }
    }
    case "measure":
      if (typeof raw.on !== "boolean") throw new Refused("on must be true or false")
      return { kind: "measure", event: string(raw.event, "event"), on: raw.on }
    case "release":
      return { kind: "release", indicator: string(raw.indicator, "indicator"), through: string(raw.through, "through"), ytd: finite(raw.ytd, "ytd") }
    case "remove":
      return { kind: "remove", event: string(raw.event, "event") }
    default:
      throw new Refused(`unknown kind of change ${JSON.stringify(raw.kind)}: parameter, exogenous, shock, measure, release or remove`)
  }
}

/** A request handler over a session (also mountable in another server). Returns false for paths it does not serve. */
export function studioHandler(session: StudioSession, prefix = "/"): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  let queue: Promise<unknown> = Promise.resolve()
  const serial = <T>(f: () => Promise<T>): Promise<T> => {
    const run = queue.then(f, f)
    queue = run.catch(() => undefined)
    return run
  }
  return async (req, res) => {
    const path = (req.url ?? "/").split("?")[0]
    if (prefix.length > 1 && path === prefix.slice(0, -1)) return res.writeHead(301, { location: prefix }).end(), true
    if (!path.startsWith(prefix)) return false
    const route = path.slice(prefix.length)
    if (req.method === "GET" && route === "") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }).end(await serial(async () => studioPage(session)))
      return true
    }
    if (req.method === "GET" && route === "api/state") {
      await serial(async () =>
        json(res, 200, { scenario: session.name, picked: session.picked.name, file: session.picked.file, version: session.version, draft: session.draft.entries.map((d) => d.event), projection: session.projection }),
      )
      return true
    }
    if (!route.startsWith("api/")) return false
    if (req.method !== "POST") {
      res.writeHead(405, { allow: "POST" }).end()
      return true
    }
    const origin = req.headers.origin
    if (origin !== undefined && origin !== `http://${req.headers.host}`) return json(res, 403, { error: "cross-origin request refused" }), true
    if (!String(req.headers["content-type"] ?? "").startsWith("application/json")) return json(res, 415, { error: "send JSON (content-type: application/json)" }), true
    try {
      const body = await readBody(req)
      const answer = await serial(async () => {
        switch (route) {
          case "api/change":
            session.change(decodeChange(body))
            return fragments(viewOf(session))
          case "api/save": {
            const name = isObject(body) ? string(body.name, "name") : string(undefined, "name")
            return { file: await session.save(name) }
          }
          case "api/open":
            await session.openFile(isObject(body) ? string(body.file, "file") : string(undefined, "file"))
            return { ok: true }
          case "api/explain":
            return { html: explainHtml(session.explain(), session.version) }
          case "api/compare": {
            const files = isObject(body) && Array.isArray(body.files) ? body.files.map((f, i) => string(f, `files[${i}]`)) : []
            return { html: compareHtml(await session.compare(files), session.version) }
          }
          default:
            return undefined
        }
      })
      if (answer === undefined) json(res, 404, { error: "not found" })
      else json(res, 200, answer)
    } catch (e) {
      if (e instanceof Refused) json(res, 400, { error: e.message })
      else {
        const tag = (e as { _tag?: string })._tag
        json(res, tag === "InvalidInput" || tag === "OptionError" ? 400 : 500, { error: (e as Error).message ?? String(e) })
      }
    }
    return true
  }
}

/** Host names the studio answers to: the address it listens on, and localhost names. */
const allowedHost = (host: string | undefined, listening: AddressInfo): boolean => {
  if (!host) return false
  const name = host.replace(/:\d+$/, "").replace(/^\[|\]$/g, "")
  return name === listening.address || name === "localhost" || name === "127.0.0.1" || name === "::1"
}

/** Starts the studio on the session; resolves once it listens (rejects with EADDRINUSE and the like). */
export function startStudio(session: StudioSession, options: StudioServerOptions): Promise<StudioServer> {
  const handler = studioHandler(session)
  const server = createServer((req, res) => {
    const addr = server.address() as AddressInfo
    if (!allowedHost(req.headers.host, addr)) {
      res.writeHead(421, { "content-type": "text/plain; charset=utf-8" }).end("misdirected request: unknown Host\n")
      return
    }
    handler(req, res).then(
      (served) => {
        if (!served) res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found\n")
      },
      (e) => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain; charset=utf-8" }).end(`${(e as Error).message}\n`)
      },
    )
  })
  return new Promise((resolve, reject) => {
    server.once("error", reject)
    server.listen(options.port, options.host ?? "127.0.0.1", () => {
      const addr = server.address() as AddressInfo
      const shown = addr.family === "IPv6" ? `[${addr.address}]` : addr.address
      resolve({
        url: `http://${shown}:${addr.port}/`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done())
            server.closeAllConnections()
          }),
      })
    })
  })
}
