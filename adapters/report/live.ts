// The live page: a node:http server on localhost that shows the same charts as the static
// report for every scenario it has been given, and updates them as forecasts arrive, with
// the id and time of the last event applied and, once a scenario has had two forecasts, the
// evolution chart of each indicator over its last HISTORY forecasts (which event moved it). Forecasts reach it through `publish` (the
// service calls it from its forecast hook); browsers receive them as server-sent events.
// Routes: GET / (the page, every scenario rendered server-side, readable without script),
// GET /events (text/event-stream: one "forecast" event per scenario on connect, then one per
// publish), GET /state.json (latest projection and last event per scenario).
// Invariants: the SVG fragments are rendered here by the pure report functions (escaped
// there); the page's script only swaps server-rendered fragments in, matching sections by
// comparing data attributes (never building selectors or markup from scenario names).
// Hardening: every response carries a Content-Security-Policy (the page's one script by its
// hash, frame-ancestors 'none'), X-Frame-Options DENY and nosniff; a request whose Host is not
// a loopback name or the configured host is refused (421), so a DNS-rebinding page cannot read
// /state.json; at most `maxClients` event streams are open (503 beyond), and a client whose
// unsent data passes `maxBufferedBytes` (it does not read) is dropped, never buffered for ever.
// Shell: owns a listening socket; close() ends every stream and the server.
import { createHash } from "node:crypto"
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { esc, idToken } from "./escape.ts"
import { renderEvolutionChart, type EvolutionStep } from "./evolution-chart.ts"
import { EXPORT_SCRIPT } from "./export.ts"
import { legend, pageShell } from "./page.ts"
import { renderScenarioSection } from "./projection-report.ts"
import { num, str, usableTarget, type ReportProjection } from "./types.ts"

/** The last event applied to a scenario: its id, the time it was applied (as given) and what it was. */
export interface LastEvent {
  readonly id: string
  readonly at: string
  /** A data release, a revision of one, or another event (the default). */
  readonly kind?: "release" | "revision" | "event"
}

/** Forecasts per scenario the evolution charts go back. */
export const HISTORY = 40

/** One published forecast as the evolution charts read it: its event and each indicator's annual band and P(target). */
interface HistoryStep {
  readonly event: string
  readonly kind: EvolutionStep["kind"]
  readonly indicators: ReadonlyMap<string, Omit<EvolutionStep, "through" | "kind">>
}

const historyStep = (projection: ReportProjection, e: LastEvent): HistoryStep => {
  const indicators = new Map<string, Omit<EvolutionStep, "through" | "kind">>()
  for (const ind of projection.indicators ?? []) {
    const a = ind.annual ?? {}
    const q = [num(a.p05), num(a.p25), num(a.p50), num(a.p75), num(a.p95)]
    if (q.some((x) => x === null)) continue
    const [p05, p25, p50, p75, p95] = q as number[]
    indicators.set(ind.id, { p05: p05!, p25: p25!, p50: p50!, p75: p75!, p95: p95!, probability: num(ind.probability) })
  }
  return { event: e.id, kind: e.kind ?? "event", indicators }
}

/** The evolution chart of every indicator over a scenario's history, or "" before its second forecast. */
function evolutionHtml(v: ScenarioView): string {
  if (v.history.length < 2) return ""
  const charts = (v.projection.indicators ?? []).map((ind, k) => {
    const steps = v.history.flatMap((h) => {
      const b = h.indicators.get(ind.id)
      return b ? [{ through: h.event, kind: h.kind, ...b }] : []
    })
    return renderEvolutionChart({
      id: ind.id,
      title: str(ind.name, ind.id),
      unit: str(ind.unit) || null,
      target: usableTarget(ind.target),
      outcome: null,
      steps,
      idPrefix: `s${v.key}-ev-${k}-${idToken(ind.id)}`,
      stepsAre: "forecast",
    })
  })
  return `<h3>How the forecast moved (last ${v.history.length} forecasts)</h3><div class="evolution">${charts.join("")}</div>`
}

/** Where the live page listens. `port: 0` picks a free port (see `url`). */
export interface LivePageOptions {
  readonly port: number
  /** Default 127.0.0.1: the page is for the local machine. */
  readonly host?: string
  /** Page title; default "plancast live". */
  readonly title?: string
  /** Further routes served before the page's own (the studio under `serve --http`); resolves false for paths it does not serve. */
  readonly routes?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>
  /** Open event streams at most (default 32); more get 503. */
  readonly maxClients?: number
  /** Unsent bytes a stream may hold before its client is dropped (default 1 MiB). */
  readonly maxBufferedBytes?: number
  /** Host names served besides the loopback names and `host` (e.g. the name of a proxy in front). */
  readonly allowedHosts?: readonly string[]
}

/** Loopback names a local browser uses. */
const LOOPBACK = ["127.0.0.1", "localhost", "[::1]", "::1"]

/** The host name of a Host header (without its port), lower case. */
const hostName = (header: string | undefined): string | undefined => {
  if (!header) return undefined
  const h = header.trim().toLowerCase()
  if (h.startsWith("[")) {
    const end = h.indexOf("]")
    return end > 0 ? h.slice(0, end + 1) : undefined
  }
  return h.split(":")[0]
}

/** A running live page. */
export interface LivePage {
  /** The page's address, e.g. http://127.0.0.1:8080/ */
  readonly url: string
  /** Shows a scenario's latest projection (adding the scenario if new) and pushes it to every open page. */
  publish(scenario: string, projection: ReportProjection, lastEvent: LastEvent): void
  /** The number of open event streams. */
  clients(): number
  /** Ends every open stream and stops the server. */
  close(): Promise<void>
}

interface ScenarioView {
  readonly key: number
  projection: ReportProjection
  lastEvent: LastEvent
  version: number
  html: string
  /** The last HISTORY forecasts, oldest first. */
  history: HistoryStep[]
}

function lastEventHtml(e: LastEvent, version: number): string {
  return `<p class="last-event" data-role="last-event" data-event-id="${esc(e.id)}" data-at="${esc(e.at)}" data-version="${version}">Last event applied: <code>${esc(e.id)}</code> at <time>${esc(e.at)}</time></p>`
}

function sectionInner(scenario: string, v: ScenarioView): string {
  return `<h2>${esc(scenario)}</h2>` + lastEventHtml(v.lastEvent, v.version) + renderScenarioSection(v.projection, { idPrefix: `s${v.key}` }) + evolutionHtml(v)
}

function sectionHtml(scenario: string, v: ScenarioView): string {
  return `<section class="scenario-section" data-scenario="${esc(scenario)}" data-version="${v.version}">${v.html}</section>`
}

// The page's only script: subscribe to /events and swap in the server-rendered section.
const SCRIPT = `
(function () {
  var status = document.getElementById("live-status");
  var root = document.getElementById("scenarios");
  function find(name) {
    var all = root.querySelectorAll("section.scenario-section");
    for (var i = 0; i < all.length; i++) if (all[i].getAttribute("data-scenario") === name) return all[i];
    return null;
  }
  function connect() {
    var es = new EventSource("events");
    es.onopen = function () { status.textContent = "live: connected, waiting for forecasts"; status.setAttribute("data-state", "open"); };
    es.onerror = function () { status.textContent = "live: disconnected, retrying"; status.setAttribute("data-state", "error"); };
    es.addEventListener("forecast", function (m) {
      var f = JSON.parse(m.data);
      var sec = find(f.scenario);
      if (sec && Number(sec.getAttribute("data-version")) >= f.version) return;
      if (!sec) {
        sec = document.createElement("section");
        sec.className = "scenario-section";
        sec.setAttribute("data-scenario", f.scenario);
        root.appendChild(sec);
        var empty = document.getElementById("no-scenarios");
        if (empty) empty.remove();
      }
      sec.setAttribute("data-version", String(f.version));
      sec.innerHTML = f.html;
      sec.classList.remove("flash"); void sec.offsetWidth; sec.classList.add("flash");
      status.textContent = "live: last update " + f.lastEvent.at + " (" + f.scenario + ", event " + f.lastEvent.id + ")";
    });
  }
  connect();
})();
`

/**
 * Starts the live page's HTTP server. Resolves once it listens; rejects if the port cannot
 * be bound (e.g. EADDRINUSE).
 */
export function startLivePage(options: LivePageOptions): Promise<LivePage> {
  const host = options.host ?? "127.0.0.1"
  const title = options.title ?? "plancast live"
  const views = new Map<string, ScenarioView>()
  const streams = new Set<ServerResponse>()
  let nextKey = 0
  const maxClients = options.maxClients ?? 32
  const maxBuffered = options.maxBufferedBytes ?? 1024 * 1024
  const allowed = new Set([...LOOPBACK, host.toLowerCase(), ...(options.allowedHosts ?? []).map((h) => h.toLowerCase())])
  const pageScript = SCRIPT + EXPORT_SCRIPT
  const scriptHash = createHash("sha256").update(pageScript).digest("base64")
  const security: OutgoingHttpHeaders = {
    "content-security-policy": `default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-${scriptHash}'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
  }
  /** Writes to a stream; a client that does not read (its unsent data past the bound) is dropped. */
  const send = (s: ServerResponse, text: string): void => {
    if (s.writableLength > maxBuffered) {
      streams.delete(s)
      s.destroy()
      return
    }
    s.write(text)
  }

  const forecastMessage = (scenario: string, v: ScenarioView) =>
    `event: forecast\ndata: ${JSON.stringify({ scenario, version: v.version, lastEvent: v.lastEvent, html: v.html })}\n\n`

  const page = () => {
    const sections = [...views.entries()].map(([s, v]) => sectionHtml(s, v)).join("\n")
    const body =
      `<h1>${esc(title)}</h1>` +
      `<p><span class="live-status" id="live-status" data-state="static">showing the forecasts as of page load</span></p>` +
      legend([], true, false) +
      `<div id="scenarios">${sections || `<div class="empty" id="no-scenarios">No forecast yet: waiting for the first event.</div>`}</div>`
    return pageShell({ title, body, script: pageScript })
  }

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    if (!options.routes) return own(req, res)
    options.routes(req, res).then(
      (served) => void (served || own(req, res)),
      (e) => void (res.headersSent || res.writeHead(500, { "content-type": "text/plain; charset=utf-8" }).end(`${(e as Error).message}\n`)),
    )
  }

  const own = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "/").split("?")[0]
    for (const [k, v] of Object.entries(security)) res.setHeader(k, v as string)
    const name = hostName(req.headers.host)
    if (name === undefined || !allowed.has(name)) {
      res.writeHead(421, { "content-type": "text/plain; charset=utf-8" }).end("this page answers only to its own host name\n")
      return
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end()
      return
    }
    if (path === "/") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }).end(page())
    } else if (path === "/events") {
      if (streams.size >= maxClients) {
        res.writeHead(503, { "content-type": "text/plain; charset=utf-8", "retry-after": "10" }).end(`at most ${maxClients} live pages at a time\n`)
        return
      }
      res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", connection: "keep-alive" })
      streams.add(res)
      req.on("close", () => streams.delete(res))
      send(res, "retry: 2000\n\n")
      for (const [s, v] of views) send(res, forecastMessage(s, v))
    } else if (path === "/state.json") {
      const state = Object.fromEntries([...views].map(([s, v]) => [s, { version: v.version, lastEvent: v.lastEvent, projection: v.projection }]))
      res.writeHead(200, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" }).end(JSON.stringify(state))
    } else {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found\n")
    }
  }

  const server = createServer(handle)
  // Keep streams alive through proxies and idle timeouts; unref'd so it never holds the process.
  const heartbeat = setInterval(() => {
    for (const s of [...streams]) send(s, ": keep-alive\n\n")
  }, 15_000)
  heartbeat.unref()

  return new Promise((resolve, reject) => {
    server.once("error", (e) => {
      clearInterval(heartbeat)
      reject(e)
    })
    server.listen(options.port, host, () => {
      const addr = server.address() as AddressInfo
      const shownHost = addr.family === "IPv6" ? `[${addr.address}]` : addr.address
      resolve({
        url: `http://${shownHost}:${addr.port}/`,
        publish(scenario, projection, lastEvent) {
          const name = String(scenario)
          const known = views.get(name)
          const v: ScenarioView = known ?? { key: nextKey++, projection, lastEvent, version: 0, html: "", history: [] }
          v.projection = projection
          const kind = lastEvent?.kind === "release" || lastEvent?.kind === "revision" ? lastEvent.kind : "event"
          v.lastEvent = { id: String(lastEvent?.id ?? ""), at: String(lastEvent?.at ?? ""), kind }
          v.history.push(historyStep(projection, v.lastEvent))
          if (v.history.length > HISTORY) v.history.shift()
          v.version += 1
          v.html = sectionInner(name, v)
          views.set(name, v)
          const msg = forecastMessage(name, v)
          for (const s of [...streams]) send(s, msg)
        },
        clients: () => streams.size,
        close() {
          clearInterval(heartbeat)
          for (const s of streams) s.end()
          streams.clear()
          return new Promise<void>((done) => {
            server.close(() => done())
            server.closeAllConnections()
          })
        },
      })
    })
  })
}
