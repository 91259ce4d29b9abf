// plancast's library surface: everything a script, the CLI or a service may use of the
// engine. Adapters import from here only, never from engine internals. Pure: no I/O.
export * from "./spec/model.ts"
export * from "./spec/scenario.ts"
export * from "./spec/errors.ts"
export * from "./spec/document.ts"
export * from "./spec/schema.ts"
export * from "./compile/index.ts"
export * from "./scenario/index.ts"
export * from "./project/index.ts"
export * from "./project/attribution.ts"
export * from "./batch/index.ts"
