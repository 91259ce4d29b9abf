// adapters/transports/nats/project-endpoint.ts against a real nats-server started here (never the one on
// 4222): a request is answered with the projection or a service error, a projection too large
// for the server's max_payload included (never an unhandled rejection and a requester left to
// time out). Integration test (shell: a broker process, sockets).
import { afterAll, beforeAll, expect, it } from "vitest"
import { Effect, Exit, Scope } from "effect"
import { connect } from "@nats-io/transport-node"
import { ServiceError } from "@nats-io/services"
import { PROJECT_SUBJECT, serveProjectEndpoint } from "../../../../adapters/transports/nats/project-endpoint.ts"
import { NatsServer } from "../../../support/nats-server.ts"
import { sleep } from "../../service/harness.ts"

let server: NatsServer
beforeAll(async () => {
  server = await NatsServer.start()
})
afterAll(async () => {
  await server?.stop()
})

it("replies with the answer or a service error", async () => {
  const nc = await connect({ servers: server.url })
  const scope = Scope.makeUnsafe()
  try {
    const answer = async (body: string) => {
      if (body === "bad") throw { code: 400, message: "bad\nrequest" }
      return { echo: body }
    }
    await Effect.runPromise(serveProjectEndpoint(nc, answer).pipe(Scope.provide(scope)))
    expect((await nc.request(PROJECT_SUBJECT, "hi", { timeout: 5_000 })).json()).toEqual({ echo: "hi" })
    const bad = await nc.request(PROJECT_SUBJECT, "bad", { timeout: 5_000 })
    expect(ServiceError.toServiceError(bad)).toMatchObject({ code: 400, message: "bad request" })
  } finally {
    await Effect.runPromise(Scope.close(scope, Exit.void))
    await nc.close()
  }
})

it("answers a projection too large for the server with a service error, not an unhandled rejection", async () => {
  const unhandled: unknown[] = []
  const onUnhandled = (reason: unknown) => void unhandled.push(reason)
  process.on("unhandledRejection", onUnhandled)
  const small = await NatsServer.start({ maxPayload: 4096 })
  const nc = await connect({ servers: small.url })
  const scope = Scope.makeUnsafe()
  try {
    await Effect.runPromise(serveProjectEndpoint(nc, async () => ({ big: "x".repeat(10_000) })).pipe(Scope.provide(scope)))
    const reply = await nc.request(PROJECT_SUBJECT, "any", { timeout: 5_000 })
    expect(ServiceError.toServiceError(reply)?.code).toBe(500)
    expect(ServiceError.toServiceError(reply)?.message).toMatch(/the reply cannot be sent/)
    await sleep(50)
    expect(unhandled).toEqual([])
  } finally {
    process.off("unhandledRejection", onUnhandled)
    await Effect.runPromise(Scope.close(scope, Exit.void))
    await nc.close()
    await small.stop()
  }
})
