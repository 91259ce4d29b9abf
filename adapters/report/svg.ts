// SVG primitives for the report's charts: linear scales with "nice" ticks, element and
// attribute builders that escape every value, path builders that break at missing values,
// and the marker shapes and dash patterns that keep series apart without colour.
// Invariants: every coordinate written is finite and rounded to 0.1 px; every attribute
// value and text node is escaped. Pure: no I/O.
import { esc } from "./escape.ts"

/** Attribute values: undefined/null/false omit the attribute; true writes it bare. */
export type Attrs = Record<string, string | number | boolean | null | undefined>

/** Rounds a pixel coordinate to 0.1 px (smaller files, stable output). */
export function px(x: number): string {
  const r = Math.round(x * 10) / 10
  return Object.is(r, -0) ? "0" : String(r)
}

function attrs(a: Attrs): string {
  let out = ""
  for (const [k, v] of Object.entries(a)) {
    if (v === undefined || v === null || v === false) continue
    if (v === true) out += ` ${k}`
    else out += ` ${k}="${esc(typeof v === "number" ? px(v) : v)}"`
  }
  return out
}

/** An element with escaped attributes; `children` is markup (already escaped) or omitted for a self-closing tag. */
export function el(tag: string, a: Attrs, children?: string): string {
  return children === undefined ? `<${tag}${attrs(a)}/>` : `<${tag}${attrs(a)}>${children}</${tag}>`
}

/** A <text> element whose content is escaped. */
export function text(a: Attrs, content: string): string {
  return el("text", a, esc(content))
}

/** A linear map from a data domain to a pixel range, with its inverse-free helpers. */
export interface LinearScale {
  (x: number): number
  readonly domain: readonly [number, number]
  readonly range: readonly [number, number]
}

/** A linear scale; a degenerate domain (lo == hi) maps everything to the middle of the range. */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): LinearScale {
  const [d0, d1] = domain
  const [r0, r1] = range
  const span = d1 - d0
  const f = ((x: number) => (span === 0 ? (r0 + r1) / 2 : r0 + ((x - d0) / span) * (r1 - r0))) as LinearScale
  Object.assign(f, { domain, range })
  return f
}

/** Ticks at 1, 2, 2.5 or 5 times a power of ten, about `count` of them, covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): { ticks: number[]; step: number; lo: number; hi: number } {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { ticks: [0], step: 1, lo: -1, hi: 1 }
  if (hi < lo) [lo, hi] = [hi, lo]
  if (hi - lo < 1e-9) {
    const pad = Math.max(Math.abs(lo) * 0.1, 0.5)
    lo -= pad
    hi += pad
  }
  const raw = (hi - lo) / Math.max(1, count)
  const mag = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 2.5, 5, 10].map((k) => k * mag).find((s) => s >= raw) ?? 10 * mag
  const nlo = Math.floor(lo / step + 1e-9) * step
  const nhi = Math.ceil(hi / step - 1e-9) * step
  const ticks: number[] = []
  for (let v = nlo, i = 0; v <= nhi + step * 1e-6 && i < 100; v += step, i++) ticks.push(Math.round(v / step) * step)
  return { ticks, step, lo: nlo, hi: nhi }
}

/** A point that may be missing (null y breaks lines and bands). */
export interface Pt {
  readonly x: number
  readonly y: number | null
}

/** Splits points into runs of consecutive defined values. */
export function runs<T>(items: readonly T[], defined: (t: T) => boolean): T[][] {
  const out: T[][] = []
  let cur: T[] = []
  for (const it of items) {
    if (defined(it)) cur.push(it)
    else if (cur.length) {
      out.push(cur)
      cur = []
    }
  }
  if (cur.length) out.push(cur)
  return out
}

/** The "d" of a polyline through the defined points, broken into separate subpaths at gaps. */
export function linePath(points: readonly Pt[]): string {
  return runs(points, (p) => p.y !== null)
    .map((run) => run.map((p, i) => `${i ? "L" : "M"}${px(p.x)},${px(p.y as number)}`).join(""))
    .join("")
}

/** A band between two series: one closed polygon per run where both bounds are defined. */
export function bandPath(points: readonly { x: number; lo: number | null; hi: number | null }[]): string {
  return runs(points, (p) => p.lo !== null && p.hi !== null)
    .map((run) => {
      if (run.length === 1) {
        // A single period: a narrow bar so the interval is still visible.
        const p = run[0]
        return `M${px(p.x - 3)},${px(p.hi as number)}H${px(p.x + 3)}V${px(p.lo as number)}H${px(p.x - 3)}Z`
      }
      const top = run.map((p, i) => `${i ? "L" : "M"}${px(p.x)},${px(p.hi as number)}`).join("")
      const bottom = [...run].reverse().map((p) => `L${px(p.x)},${px(p.lo as number)}`).join("")
      return `${top}${bottom}Z`
    })
    .join("")
}

/** Marker shapes, told apart without colour. */
export type MarkerShape = "circle" | "square" | "triangle" | "diamond" | "cross" | "star"

/** The order in which overlaid scenarios receive marker shapes. */
export const MARKERS: readonly MarkerShape[] = ["circle", "square", "triangle", "diamond", "cross", "star"]

/** Line dash patterns, in the order overlaid scenarios receive them ("" = solid). */
export const DASHES: readonly string[] = ["", "7 4", "2 3", "9 3 2 3", "4 2 1 2 1 2", "12 4"]

/** Okabe-Ito colours (readable by colour-blind readers), the order scenarios receive them. */
export const COLOURS: readonly string[] = ["#0b5394", "#c2410c", "#047857", "#9d174d", "#a16207", "#4338ca"]

/** A marker of a given shape centred at (x, y) with half-size r. */
export function marker(shape: MarkerShape, x: number, y: number, r: number, a: Attrs = {}): string {
  switch (shape) {
    case "circle":
      return el("circle", { cx: x, cy: y, r, ...a })
    case "square":
      return el("rect", { x: x - r, y: y - r, width: 2 * r, height: 2 * r, ...a })
    case "triangle":
      return el("path", { d: `M${px(x)},${px(y - r * 1.2)}L${px(x + r * 1.1)},${px(y + r * 0.8)}L${px(x - r * 1.1)},${px(y + r * 0.8)}Z`, ...a })
    case "diamond":
      return el("path", { d: `M${px(x)},${px(y - r * 1.3)}L${px(x + r * 1.1)},${px(y)}L${px(x)},${px(y + r * 1.3)}L${px(x - r * 1.1)},${px(y)}Z`, ...a })
    case "cross":
      return el("path", {
        d: `M${px(x - r)},${px(y - r)}L${px(x + r)},${px(y + r)}M${px(x - r)},${px(y + r)}L${px(x + r)},${px(y - r)}`,
        ...a,
        "stroke-width": 2,
        fill: "none",
      })
    case "star": {
      let d = ""
      for (let i = 0; i < 10; i++) {
        const rr = i % 2 ? r * 0.5 : r * 1.3
        const ang = -Math.PI / 2 + (i * Math.PI) / 5
        d += `${i ? "L" : "M"}${px(x + rr * Math.cos(ang))},${px(y + rr * Math.sin(ang))}`
      }
      return el("path", { d: `${d}Z`, ...a })
    }
  }
}

/** Places labels vertically so that none overlaps the next (min gap `gap` px), keeping order. */
export function spreadLabels(ys: readonly number[], gap: number, top: number, bottom: number): number[] {
  const order = ys.map((y, i) => ({ y, i })).sort((a, b) => a.y - b.y)
  const placed = order.map((o) => o.y)
  const n = placed.length
  for (let k = 1; k < n; k++) placed[k] = Math.max(placed[k], placed[k - 1] + gap)
  if (n) placed[n - 1] = Math.min(placed[n - 1], bottom)
  for (let k = n - 2; k >= 0; k--) placed[k] = Math.min(placed[k], placed[k + 1] - gap)
  if (n) placed[0] = Math.max(placed[0], top)
  // When there is not room for all, the gap wins over the bottom bound.
  for (let k = 1; k < n; k++) placed[k] = Math.max(placed[k], placed[k - 1] + gap)
  const out = new Array<number>(ys.length)
  order.forEach((o, k) => (out[o.i] = placed[k]))
  return out
}
