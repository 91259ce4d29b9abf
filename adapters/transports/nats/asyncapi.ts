// The AsyncAPI 3.0 document of plancast on NATS (asyncapi.yaml at the repository root),
// generated from the zod schemas: the scenario event (engine/spec), and here the payloads the
// service emits (forecast = projection + sequence + news, rejection) and the request of the
// plancast.project endpoint. `node adapters/transports/nats/asyncapi.ts` rewrites the file; a test
// checks that the committed file equals what this module generates. Shell only when run as a
// script (writes the file); `asyncapiDocument()` and `asyncapiYaml()` are pure.
import { writeFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { resolve } from "node:path"
import { z } from "zod"
import { stringify } from "yaml"
import { News, Projection, ScenarioEvent } from "../../../engine/index.ts"
import { DEFAULT_BUCKET, DEFAULT_STREAM } from "./settings.ts"
import { DUPLICATE_WINDOW_MS } from "./connection.ts"
import { MAX_EVENT_BYTES, MAX_REJECTED_RAW } from "../../contract.ts"
import { ProjectRequest } from "../../service/request.ts"

/** A forecast as published on plancast.forecasts.<scenario> and put in the KV bucket: the engine's Projection plus the stream sequence and its news. */
export const ForecastPayload = Projection.extend({
  sequence: z.number().int().min(0).describe("stream sequence of the last event applied to this scenario"),
  news: News.describe(
    "what the events since the scenario's previous forecast did to it (after a restart: the log's last step); every forecast after a release carries that release's news",
  ),
}).describe("A projection (fields may be added, none removed) plus the stream sequence it includes and its news.")

/** A refused message, published on plancast.rejected.<scenario> (`_` when the scenario cannot be determined). */
export const RejectionPayload = z
  .object({
    scenario: z.string().describe('the scenario of the subject or the payload; "_" when neither names a valid one'),
    raw: z.string().describe(`the payload as text, or base64 when it is not UTF-8; at most ${MAX_REJECTED_RAW} bytes of it`),
    encoding: z.enum(["utf-8", "base64"]),
    size: z.number().int().min(0).describe("payload size in bytes"),
    truncated: z.boolean().optional().describe("true when raw holds only the payload's beginning"),
    reasons: z.array(z.string()).min(1).describe("why it was refused"),
    id: z.string().optional().describe("the event id, when the payload had one (or the Nats-Msg-Id header)"),
    sequence: z.number().int().describe("stream sequence of the message"),
    subject: z.string().describe("the subject it arrived on"),
  })
  .describe("A message the service refused (and acknowledged: it is not redelivered).")

const schema = (s: z.ZodType, io: "input" | "output" = "output") => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s, { target: "draft-7", io, unrepresentable: "any" }) as Record<string, unknown>
  return { schemaFormat: "application/schema+json;version=draft-07", schema: rest }
}

/** The AsyncAPI 3.0 document as a plain object. */
export const asyncapiDocument = () => ({
  asyncapi: "3.0.0",
  info: {
    title: "plancast",
    version: "0.1.0",
    description: [
      "plancast on NATS: scenario events in (JetStream), forecasts, rejections and latest values out, projections on request.",
      `Events are stored in the JetStream stream ${DEFAULT_STREAM} (subjects plancast.events.>, file storage, de-duplication window ${DUPLICATE_WINDOW_MS / 1000} s on Nats-Msg-Id).`,
      "The service consumes them with a durable pull consumer (default name plancast, explicit acknowledgements) and acknowledges a message only after",
      "its event is applied and the forecast of its batch is out. On start it replays the whole stream, so no event is lost and none is applied twice.",
      `The latest forecast of each scenario is also in the KV bucket ${DEFAULT_BUCKET}, key <scenario>.`,
      `A scenario name is one subject token: letters, digits, "-" and "_", at most 128 characters, not starting with "_". Payloads over ${MAX_EVENT_BYTES} bytes are refused.`,
    ].join("\n"),
  },
  defaultContentType: "application/json",
  servers: {
    local: { host: "127.0.0.1:4222", protocol: "nats", description: "a nats-server with JetStream enabled (2.9 or later)" },
  },
  channels: {
    events: {
      address: "plancast.events.{scenario}",
      title: "Scenario events",
      description: "One scenario event per message, stored in the stream; header Nats-Msg-Id = <scenario>/<id>/<digest> (the first 32 hex digits of the SHA-256 of the payload as canonical JSON, keys sorted, `scenario` left out). The payload's `scenario` field, when present, must equal the subject's.",
      parameters: { scenario: { description: "the scenario the event belongs to" } },
      messages: {
        scenarioEvent: {
          name: "ScenarioEvent",
          title: "A scenario event",
          headers: schema(z.object({ "Nats-Msg-Id": z.string().describe("scenario, event id and payload digest: JetStream stores a re-sent copy of one event once within its window, and another payload under a seen id reaches the service, which refuses it as a conflict") })),
          payload: schema(ScenarioEvent, "input"),
        },
      },
    },
    forecasts: {
      address: "plancast.forecasts.{scenario}",
      title: "Forecasts",
      description: "One message per changed scenario per batch of events (bursts are coalesced), and one per scenario after a restart's replay.",
      parameters: { scenario: { description: "the scenario projected" } },
      messages: { forecast: { name: "Forecast", title: "A projection with its stream sequence", payload: schema(ForecastPayload, "input") } },
    },
    rejected: {
      address: "plancast.rejected.{scenario}",
      title: "Rejected messages",
      description: 'Messages the service refused, with the reasons; scenario "_" when the subject and payload name no valid scenario.',
      parameters: { scenario: { description: 'the scenario, or "_"' } },
      messages: { rejection: { name: "Rejection", title: "A refused message", payload: schema(RejectionPayload) } },
    },
    project: {
      address: "plancast.project",
      title: "Projection requests (NATS services API: service plancast, endpoint project)",
      description:
        "Request/reply: a scenario in, its projection out: a scenario file, or events on the served base, or with `live` on the current state of a scenario of the running service (`scenario` stays a label). Errors are service errors: headers Nats-Service-Error-Code (400 invalid input, 500 other) and Nats-Service-Error. Discoverable with $SRV.PING, $SRV.INFO and $SRV.STATS.",
      messages: {
        projectRequest: { name: "ProjectRequest", title: "A scenario file, or events on the base or on a live scenario", contentType: "application/yaml", payload: schema(ProjectRequest, "input") },
        projectReply: { name: "Projection", title: "The projection", payload: schema(Projection, "input") },
      },
    },
  },
  operations: {
    publishEvent: { action: "send", channel: { $ref: "#/channels/events" }, summary: "Publish a scenario event (plancast publish does this, one per NDJSON line)." },
    consumeEvents: { action: "receive", channel: { $ref: "#/channels/events" }, summary: "The service consumes events through its durable consumer." },
    publishForecast: { action: "send", channel: { $ref: "#/channels/forecasts" }, summary: "The service publishes each scenario's new forecast." },
    publishRejection: { action: "send", channel: { $ref: "#/channels/rejected" }, summary: "The service reports each refused message." },
    project: {
      action: "receive",
      channel: { $ref: "#/channels/project" },
      summary: "Project a scenario on request.",
      messages: [{ $ref: "#/channels/project/messages/projectRequest" }],
      reply: { channel: { $ref: "#/channels/project" }, messages: [{ $ref: "#/channels/project/messages/projectReply" }] },
    },
  },
})

/** The document as the YAML text of asyncapi.yaml. */
export const asyncapiYaml = (): string =>
  "# Generated by adapters/transports/nats/asyncapi.ts (node adapters/transports/nats/asyncapi.ts): do not edit by hand.\n" + stringify(asyncapiDocument(), { lineWidth: 0, aliasDuplicateObjects: false })

/** Where the document lives. */
export const ASYNCAPI_FILE = resolve(fileURLToPath(new URL("../../../asyncapi.yaml", import.meta.url)))

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(ASYNCAPI_FILE, asyncapiYaml())
  process.stdout.write(`wrote ${ASYNCAPI_FILE}\n`)
}
