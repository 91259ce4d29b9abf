// The engine's closed set of failures, as tagged errors with fields. Each stage throws only
// these; the shell maps them to exit status 2 and a message of file, field path, line and
// problem. Messages are built from the fields; no code branches on message text. Pure.
import * as Data from "effect/Data"

/** A position inside a document: object keys and array indexes from its root. */
export type FieldPath = ReadonlyArray<string | number>

/** Renders a field path the way a reader looks it up: `indicators[2].target.kind`. */
export const formatPath = (path: FieldPath): string =>
  path.reduce<string>((s, k) => (typeof k === "number" ? `${s}[${k}]` : s ? `${s}.${k}` : k), "")

export interface SpecIssue {
  readonly path: FieldPath
  readonly message: string
}

/** A document that does not fit its schema (zod issues, or YAML/JSON syntax with a line). */
export class SpecError extends Data.TaggedError("SpecError")<{
  readonly what: string
  readonly issues: ReadonlyArray<SpecIssue & { readonly line?: number }>
}> {
  override get message(): string {
    return `invalid ${this.what}: ` + this.issues.map((i) => (i.path.length ? `${formatPath(i.path)}: ` : "") + i.message).join("; ")
  }
}

/** A model that parses but cannot be compiled: unknown identifier, forbidden function, lag beyond the data, ... */
export class ModelError extends Data.TaggedError("ModelError")<{
  readonly path: FieldPath
  readonly problem: string
}> {
  override get message(): string {
    return `${formatPath(this.path)}: ${this.problem}`
  }
}

/** An event refused: by the schema, against the model, or against the scenario's earlier events. */
export class EventError extends Data.TaggedError("EventError")<{
  readonly id?: string
  /** Position of the event in its log (file list index or stream line, 0-based). */
  readonly index?: number
  readonly path: FieldPath
  readonly problem: string
}> {
  override get message(): string {
    const who = [this.id !== undefined ? `event ${JSON.stringify(this.id)}` : "event", this.index !== undefined ? `#${this.index}` : ""]
      .filter(Boolean)
      .join(" ")
    return `${who}: ${this.path.length ? formatPath(this.path) + ": " : ""}${this.problem}`
  }
}

/** A simultaneous block that did not converge. */
export class ConvergenceError extends Data.TaggedError("ConvergenceError")<{
  readonly variables: ReadonlyArray<string>
  readonly period: string
  readonly iterations: number
  readonly residual: number
}> {
  override get message(): string {
    const why = Number.isFinite(this.residual) ? "" : ` (an equation of the block gives ${this.residual}: a division by zero, the log or root of a negative number, or an iteration that diverges)`
    return `block {${this.variables.join(", ")}} did not converge in period ${this.period}: residual ${this.residual.toExponential(3)} after ${this.iterations} iterations${why}`
  }
}

/**
 * A solution value that is NaN or infinite, named at its source: the first variable in solve
 * order (the variable's equation, or its simultaneous block) that is not finite, in the first
 * such period of the first such draw.
 */
export class NonFiniteError extends Data.TaggedError("NonFiniteError")<{
  /** The variable whose equation gave the value (every variable of the block for a simultaneous block). */
  readonly variables: ReadonlyArray<string>
  readonly period: string
  /** The Monte Carlo draw (absent for a deterministic run). */
  readonly draw?: number
  /** "NaN", "Infinity" or "-Infinity". */
  readonly value: string
}> {
  override get message(): string {
    const who = this.variables.length === 1 ? `the equation of ${this.variables[0]}` : `block {${this.variables.join(", ")}}`
    return `${who} gives ${this.value} in period ${this.period}${this.draw !== undefined ? ` (draw ${this.draw})` : ""}: a division by zero, the log or root of a negative number, or an overflow`
  }
}

/** A goal-seek that no value in its range can satisfy, or a bad request to seek. */
export class SeekError extends Data.TaggedError("SeekError")<{
  readonly problem: string
}> {
  override get message(): string {
    return this.problem
  }
}

/** Options of a run that make no sense (draw count, seed, probability, grid). */
export class OptionError extends Data.TaggedError("OptionError")<{
  readonly option: string
  readonly problem: string
}> {
  override get message(): string {
    return `${this.option}: ${this.problem}`
  }
}

/** A CSV file of series (a model's data.file) that cannot be read, at a line (1-based). */
export class SeriesCsvError extends Data.TaggedError("SeriesCsvError")<{ readonly line: number; readonly problem: string }> {
  override get message(): string {
    return `line ${this.line}: ${this.problem}`
  }
}

export type PlancastError = SpecError | ModelError | EventError | ConvergenceError | NonFiniteError | SeekError | OptionError | SeriesCsvError
