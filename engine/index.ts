// plancast's library surface: everything a script, the CLI or a service may use of the
// engine. Adapters import from here only, never from engine internals. Pure: no I/O.
export * from "./schema/model.ts"
export * from "./schema/scenario.ts"
export * from "./errors.ts"
export * from "./schema/document.ts"
export * from "./schema/validate.ts"
export * from "./ytd.ts"
export * from "./target.ts"
export * from "./compile/index.ts"
export * from "./scenario/index.ts"
export * from "./project/index.ts"
export * from "./project/attribution.ts"
export * from "./batch/index.ts"
