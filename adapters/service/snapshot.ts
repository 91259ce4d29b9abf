// Snapshots of the service for a fast restart: the registry's image (every scenario's own events,
// sequences and rejected counts, and the stream sequence through which everything is processed)
// with the identity of the base it was built on, gzipped JSON. A restart restores the latest
// snapshot and replays only the messages after its sequence; a snapshot of another model or base
// scenario, of another format, or unreadable is ignored (the service replays everything), never
// trusted. The store is a seam: the NATS layer keeps snapshots in a JetStream object store, the
// memory bus in memory; standard input has none. Shell (Effect service; pure codec).
import { createHash } from "node:crypto"
import { gunzipSync, gzipSync } from "node:zlib"
import { Context, type Effect } from "effect"
import { z } from "zod"
import type { TransportError } from "./cause.ts"
import type { BaseScenario, RegistryImage } from "./registry.ts"

/** Where snapshots are kept: the latest one of this service (its stream and consumer). */
export class SnapshotStore extends Context.Service<
  SnapshotStore,
  {
    readonly load: Effect.Effect<Uint8Array | undefined, TransportError>
    readonly save: (bytes: Uint8Array) => Effect.Effect<void, TransportError>
  }
>()("plancast/SnapshotStore") {}

const FORMAT = "plancast-snapshot/1"

const Snapshot = z.object({
  format: z.literal(FORMAT),
  base: z.string(),
  image: z.object({
    floor: z.number().int().nonnegative(),
    scenarios: z.array(
      z.object({
        name: z.string(),
        // events were admitted when the snapshot was taken: kept as they were, not decoded again
        events: z.array(z.looseObject({ id: z.string(), type: z.string() })),
        sequence: z.number().int().nonnegative(),
        rejected: z.number().int().nonnegative(),
        lastEvent: z.string().optional(),
      }),
    ),
  }),
})

const identities = new WeakMap<BaseScenario, string>()

/** What identifies a base: its model and its events (a snapshot of another base does not apply). Computed once per base. */
export const baseIdentity = (base: BaseScenario): string => {
  let id = identities.get(base)
  if (id === undefined) {
    id = createHash("sha256").update(JSON.stringify({ model: base.compiled.model, events: base.state.events, rejected: base.rejected })).digest("hex")
    identities.set(base, id)
  }
  return id
}

/** A snapshot's bytes. */
export const encodeSnapshot = (base: BaseScenario, image: RegistryImage): Uint8Array =>
  gzipSync(JSON.stringify({ format: FORMAT, base: baseIdentity(base), image }), { level: 1 })

/** The image in a snapshot of this base, or why it does not apply. */
export const decodeSnapshot = (base: BaseScenario, bytes: Uint8Array): { image: RegistryImage } | { ignored: string } => {
  let value: unknown
  try {
    value = JSON.parse(gunzipSync(bytes).toString("utf8"))
  } catch (e) {
    return { ignored: `unreadable (${e instanceof Error ? e.message : String(e)})` }
  }
  const parsed = Snapshot.safeParse(value)
  if (!parsed.success) return { ignored: `not a ${FORMAT} snapshot` }
  if (parsed.data.base !== baseIdentity(base)) return { ignored: "taken with another model or base scenario" }
  return { image: parsed.data.image as unknown as RegistryImage }
}
