// The request/reply side of the service on NATS: a NATS services API service `plancast` with
// one endpoint on subject `plancast.project` (scenario in, projection JSON out), discoverable
// through $SRV.PING / $SRV.INFO / $SRV.STATS. Shell. Invariants: every request gets exactly one
// reply: the projection, or a service error (headers Nats-Service-Error-Code 400 for invalid
// input, 500 otherwise, a projection too large to send included); a reply that cannot be sent
// at all is logged, never an unhandled rejection; the service is stopped when its scope closes.
import { Effect, type Scope } from "effect"
import type { NatsConnection } from "@nats-io/transport-node"
import { Svcm, type Service } from "@nats-io/services"
import { attempt, type NatsError } from "./connection.ts"

/** Service name and endpoint subject of the public contract. */
export const SERVICE_NAME = "plancast"
export const PROJECT_SUBJECT = "plancast.project"
export const SERVICE_VERSION = "0.1.0"

/** Answers one request body: resolves to the reply document or rejects with `{ code, message }`. */
export type ProjectAnswer = (body: string) => Promise<unknown>

const decoder = new TextDecoder("utf-8", { fatal: true })

/** Starts the `plancast` service with its `project` endpoint on `plancast.project`; stops it with the scope. */
export const serveProjectEndpoint = (nc: NatsConnection, answer: ProjectAnswer, log: (line: string) => void = () => {}): Effect.Effect<Service, NatsError, Scope.Scope> =>
  Effect.acquireRelease(
    attempt("start the plancast service", async () => {
      const service = await new Svcm(nc).add({
        name: SERVICE_NAME,
        version: SERVICE_VERSION,
        description: "plancast projections: a scenario (file text, or { scenario?, live?, events }) in, the projection JSON out",
      })
      service.addEndpoint("project", {
        subject: PROJECT_SUBJECT,
        metadata: { request: "scenario file (YAML/JSON) or {scenario?, live?, events, draws?, seed?}", reply: "projection JSON" },
        handler: (err, msg) => {
          if (err) {
            log(`plancast.project: ${err.message}`)
            return
          }
          let body: string
          try {
            body = decoder.decode(msg.data)
          } catch {
            msg.respondError(400, "request is not UTF-8 text")
            return
          }
          // the error description travels in a header: one line, bounded
          const fail = (code: 400 | 500, text: string) =>
            msg.respondError(code, text.replace(/[\r\n]+/g, " ").slice(0, 2000), JSON.stringify({ error: { code, message: text } }))
          answer(body)
            .then(
              (reply) => {
                try {
                  msg.respond(JSON.stringify(reply))
                } catch (e) {
                  // a reply over the server's max_payload cannot go out: the requester hears why instead
                  fail(500, `the reply cannot be sent: ${e instanceof Error ? e.message : String(e)}`)
                }
              },
              (e: { code?: unknown; message?: unknown }) => fail(e?.code === 400 ? 400 : 500, typeof e?.message === "string" ? e.message : String(e)),
            )
            .catch((e: unknown) => log(`plancast.project: cannot reply: ${e instanceof Error ? e.message : String(e)}`))
        },
      })
      return service
    }),
    (service) => Effect.promise(() => service.stop().catch(() => null)),
  )
