// Errors about input files, located: each issue names its file, its line where there is one,
// the field path inside the document, and the problem. Every engine error that concerns a file
// (SpecError, ModelError, EventError, ConvergenceError) becomes one of these at the file
// boundary, so the command line can print `file:line: field.path: problem` and exit 2.
// Shell-side data only (no I/O here).
import * as Data from "effect/Data"
import { formatPath, type FieldPath, type SourceDocument, type SpecError } from "../../engine/index.ts"

/** One problem at one place of one file. */
export interface LocatedIssue {
  /** The file as the user named it (relative paths stay relative to the working directory). */
  readonly file: string
  readonly line?: number
  readonly path: FieldPath
  readonly problem: string
}

/** Input that cannot be used: a file missing or unreadable, bad syntax, a schema or model violation, refused events. */
export class InvalidInput extends Data.TaggedError("InvalidInput")<{
  readonly issues: ReadonlyArray<LocatedIssue>
}> {
  override get message(): string {
    return this.issues.map(formatIssue).join("\n")
  }
}

/** `file:line: field.path: problem` (line and path left out where there is none). */
export const formatIssue = (issue: LocatedIssue): string =>
  `${issue.file}${issue.line !== undefined ? `:${issue.line}` : ""}: ${issue.path.length ? formatPath(issue.path) + ": " : ""}${issue.problem}`

/** Locates a SpecError's issues in a document (its syntax issues already carry their line). */
export const locateSpec = (file: string, error: SpecError, doc?: SourceDocument, prefix: FieldPath = []): InvalidInput =>
  new InvalidInput({
    issues: error.issues.map((i) => {
      const path = [...prefix, ...i.path]
      return { file, line: i.line ?? doc?.lineOf(path), path, problem: i.message }
    }),
  })

/** One issue at one place. */
export const invalidAt = (file: string, path: FieldPath, problem: string, doc?: SourceDocument): InvalidInput =>
  new InvalidInput({ issues: [{ file, line: doc?.lineOf(path), path, problem }] })
