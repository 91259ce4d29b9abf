// The help pages of the command line, generated from the commands' declarations (effect/cli's
// HelpDoc: usage, description, arguments, flags, subcommands) and laid out as plain text
// wrapped to a fixed width: the same bytes on every terminal, no colours. Pure.
import type { HelpDoc } from "effect/cli"
import * as Option from "effect/Option"

const WIDTH = 100
const INDENT = "  "

/** Splits `text` into lines of at most `width` characters at spaces (a longer word keeps its own line). */
export const wrap = (text: string, width: number): string[] => {
  const lines: string[] = []
  let line = ""
  for (const word of text.split(/\s+/).filter((w) => w !== "")) {
    if (line === "") line = word
    else if (line.length + 1 + word.length <= width) line += " " + word
    else {
      lines.push(line)
      line = word
    }
  }
  if (line !== "") lines.push(line)
  return lines
}

/** Rows of a name column and a wrapped description column. */
const table = (rows: readonly (readonly [string, string])[]): string => {
  const column = Math.min(Math.max(...rows.map(([name]) => name.length)) + 2, 34)
  return rows
    .map(([name, description]) => {
      const text = wrap(description, WIDTH - INDENT.length - column)
      const first = name.length + 2 <= column ? `${INDENT}${name.padEnd(column)}${text[0] ?? ""}` : `${INDENT}${name}\n${INDENT}${" ".repeat(column)}${text[0] ?? ""}`
      return [first.trimEnd(), ...text.slice(1).map((l) => INDENT + " ".repeat(column) + l)].join("\n")
    })
    .join("\n")
}

const flagName = (f: HelpDoc.FlagDoc): string =>
  [`--${f.name}${f.type === "boolean" || f.type === "" ? "" : " " + f.type}`, ...f.aliases.filter((a) => a !== `--${f.name}`)].join(", ")

/** One help page: usage, description, arguments, options, commands. */
export const helpText = (doc: HelpDoc.HelpDoc): string => {
  const sections = [`usage: ${doc.usage}`]
  if (doc.description !== "") sections.push(...doc.description.split("\n\n").map((paragraph) => wrap(paragraph, WIDTH).join("\n")))
  if (doc.args && doc.args.length > 0)
    sections.push("arguments:\n" + table(doc.args.map((a) => [`${a.name}${a.variadic ? "..." : ""}`, `${Option.getOrElse(a.description, () => "")}${a.required ? "" : " (optional)"}`])))
  const flags = [...doc.flags, ...(doc.globalFlags ?? [])]
  if (flags.length > 0) sections.push("options:\n" + table(flags.map((f) => [flagName(f), Option.getOrElse(f.description, () => "")])))
  for (const group of doc.subcommands ?? [])
    sections.push(`${group.group ?? "commands"}:\n` + table(group.commands.map((c) => [c.name, c.shortDescription ?? c.description])))
  return sections.join("\n\n") + "\n"
}
