// Command-line arguments to typed options: each command declares its options (name, kind,
// allowed values) and how many positional arguments it takes; anything else is a usage error.
// Shell-side but pure: strings in, values or a tagged error out.
// Invariants: `--name value` and `--name=value` are the same; an unknown option, a missing
// value, a value of the wrong kind or out of range is a UsageError or an OptionError (exit 2);
// `--help`/`-h` anywhere asks for the command's help; an unknown option names the closest
// known ones ("did you mean --draws?", engine/suggest.ts).
import * as Data from "effect/Data"
import { didYouMean, MAX_DRAWS, OptionError } from "../../engine/index.ts"

/** A command used the wrong way: unknown option, missing argument. */
export class UsageError extends Data.TaggedError("UsageError")<{
  readonly command: string
  readonly problem: string
}> {
  override get message(): string {
    return this.problem
  }
}

/** The kinds of option values. */
export type OptionKind =
  | { readonly kind: "flag" }
  | { readonly kind: "string"; readonly repeat?: boolean }
  | { readonly kind: "draws" }
  | { readonly kind: "seed" }
  | { readonly kind: "probability" }
  | { readonly kind: "choice"; readonly values: readonly string[] }

export interface CommandSpec {
  readonly command: string
  readonly options: Readonly<Record<string, OptionKind>>
  readonly positionals: { readonly min: number; readonly max: number; readonly name: string }
}

export type OptionValue = string | number | boolean | string[]

export interface ParsedArgs {
  readonly help: boolean
  readonly positionals: string[]
  readonly options: Readonly<Record<string, OptionValue | undefined>>
}

const looksNumeric = (s: string): boolean => /^-\d/.test(s) || /^-\.\d/.test(s)

/** Parses `argv` (after the command name) against a command's spec. Throws UsageError or OptionError. */
export const parseArgs = (spec: CommandSpec, argv: readonly string[]): ParsedArgs => {
  const positionals: string[] = []
  const options: Record<string, OptionValue | undefined> = {}
  let help = false
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1))
      break
    }
    if (arg === "--help" || arg === "-h") {
      help = true
      continue
    }
    if (!arg.startsWith("-") || arg === "-" || looksNumeric(arg)) {
      positionals.push(arg)
      continue
    }
    if (!arg.startsWith("--")) throw new UsageError({ command: spec.command, problem: `unknown option ${arg}${suggestOption(spec, arg.slice(1))}` })
    const eq = arg.indexOf("=")
    const name = arg.slice(2, eq < 0 ? undefined : eq)
    const kind = spec.options[name]
    if (!kind) throw new UsageError({ command: spec.command, problem: `unknown option --${name}${suggestOption(spec, name)}` })
    if (kind.kind === "flag") {
      if (eq >= 0) throw new UsageError({ command: spec.command, problem: `--${name} takes no value` })
      options[name] = true
      continue
    }
    let raw: string
    if (eq >= 0) raw = arg.slice(eq + 1)
    else {
      const next = argv[i + 1]
      if (next === undefined || (next.startsWith("-") && !looksNumeric(next) && next !== "-"))
        throw new UsageError({ command: spec.command, problem: `--${name} needs a value` })
      raw = next
      i++
    }
    const value = convert(name, kind, raw)
    if (kind.kind === "string" && kind.repeat) options[name] = [...((options[name] as string[] | undefined) ?? []), raw]
    else if (options[name] !== undefined) throw new UsageError({ command: spec.command, problem: `--${name} given twice` })
    else options[name] = value
  }
  if (!help) {
    const { min, max, name } = spec.positionals
    if (positionals.length < min) throw new UsageError({ command: spec.command, problem: `missing ${name}` })
    if (positionals.length > max) throw new UsageError({ command: spec.command, problem: `unexpected argument ${JSON.stringify(positionals[max])}` })
  }
  return { help, positionals, options }
}

/** The options of a command close to a misspelt one, as ` (did you mean --draws?)`. */
const suggestOption = (spec: CommandSpec, name: string): string => didYouMean(name, [...Object.keys(spec.options), "help"], (n) => `--${n}`)

const convert = (name: string, kind: OptionKind, raw: string): OptionValue => {
  const option = `--${name}`
  switch (kind.kind) {
    case "flag":
      return true
    case "string":
      if (raw === "") throw new OptionError({ option, problem: "must not be empty" })
      return raw
    case "draws": {
      if (!/^\d+$/.test(raw)) throw new OptionError({ option, problem: `must be a non-negative integer, got ${JSON.stringify(raw)}` })
      const n = Number(raw)
      if (n > MAX_DRAWS) throw new OptionError({ option, problem: `at most ${MAX_DRAWS} draws, got ${raw}` })
      return n
    }
    case "seed": {
      const n = Number(raw)
      if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(n)) throw new OptionError({ option, problem: `must be an integer, got ${JSON.stringify(raw)}` })
      return n
    }
    case "probability": {
      const n = Number(raw)
      if (raw.trim() === "" || !Number.isFinite(n) || n <= 0 || n >= 1)
        throw new OptionError({ option, problem: `must be a number strictly between 0 and 1, got ${JSON.stringify(raw)}` })
      return n
    }
    case "choice":
      if (!kind.values.includes(raw)) throw new OptionError({ option, problem: `must be one of ${kind.values.join(", ")}, got ${JSON.stringify(raw)}` })
      return raw
  }
}

/** Typed accessors over parsed options, with the contract's defaults. */
export const optionString = (a: ParsedArgs, name: string): string | undefined => a.options[name] as string | undefined
export const optionNumber = (a: ParsedArgs, name: string): number | undefined => a.options[name] as number | undefined
export const optionFlag = (a: ParsedArgs, name: string): boolean => a.options[name] === true
export const optionList = (a: ParsedArgs, name: string): string[] => (a.options[name] as string[] | undefined) ?? []
