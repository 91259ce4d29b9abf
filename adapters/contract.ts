// The service's public contract in one place: the subjects events, forecasts and rejections
// travel on, the rule for scenario names, and the size limits every transport and the service
// enforce alike. Transports (NATS, memory, stdio), the service, publish and the AsyncAPI
// document read them from here. Pure constants, and the message id rule.
import { createHash } from "node:crypto"
import { canonicalPayload, type ScenarioEvent } from "../engine/index.ts"

/** Prefix of event subjects; the scenario is the token after it. */
export const EVENTS_PREFIX = "plancast.events."
/** What the events stream captures. */
export const EVENTS_WILDCARD = `${EVENTS_PREFIX}>`
/** Subject of the events of one scenario. */
export const eventsSubject = (scenario: string): string => `${EVENTS_PREFIX}${scenario}`
/**
 * The Nats-Msg-Id of an event: its scenario, its id and a digest of its payload (canonical JSON,
 * `scenario` aside). The broker's de-duplication drops a re-sent copy (the same id and payload)
 * but lets through another payload under a seen id, which the service then refuses as a conflict
 * naming both versions (a bare event id, the first contract's, let the broker drop it unseen).
 */
export const eventMessageId = (scenario: string, event: ScenarioEvent): string =>
  `${scenario}/${event.id}/${createHash("sha256").update(canonicalPayload(event)).digest("hex").slice(0, 32)}`

/** Subject of the forecasts of one scenario. */
export const forecastsSubject = (scenario: string): string => `plancast.forecasts.${scenario}`
/** Subject of the rejections of one scenario (`_` when the scenario cannot be determined). */
export const rejectedSubject = (scenario: string): string => `plancast.rejected.${scenario}`
/** The scenario of an event subject, or undefined for another subject. */
export const scenarioOfSubject = (subject: string): string | undefined =>
  subject.startsWith(EVENTS_PREFIX) ? subject.slice(EVENTS_PREFIX.length) : undefined

/** The scenario name used for rejections whose scenario cannot be determined: `plancast.rejected._`. */
export const UNKNOWN_SCENARIO = "_"
/** Scenario names the service accepts: one subject token, usable as a KV key, not `_`. */
export const SCENARIO_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/

/** Largest payload decoded, in bytes; larger messages are refused unread. */
export const MAX_EVENT_BYTES = 1024 * 1024
/** How much of a refused payload a rejection carries (bytes of text, before base64). */
export const MAX_REJECTED_RAW = 16 * 1024
/** Most draws a plancast.project request may ask for (a request runs on the service's event loop). */
export const MAX_REQUEST_DRAWS = 100_000
