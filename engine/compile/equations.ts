// A model's equations parsed in their parts, with its symbol table: the model with its implicit
// variables declared (an equation defines its variable) and its data written out (data.ts),
// every equation through parse.ts. The first steps of compile, shared with estimation.
// Pure; throws ModelError.
import type { Model } from "../schema/model.ts"
import { withData } from "./data.ts"
import { parseEquationParts, type ParsedEquation } from "./parse.ts"
import { buildSymbols, type SymbolTable } from "./symbols.ts"

/**
 * The model with every equation's left-hand side that names nothing else declared as an
 * auxiliary variable (no history, no error): an equation defines its variable, so `variables`
 * is needed only for a name, a unit, a lag history or an error. A misspelt indicator still
 * fails (the indicator is left without an equation).
 */
export const withEquationVariables = (model: Model): Model => {
  const declared = new Set([
    ...model.indicators.map((i) => i.id),
    ...Object.keys(model.variables),
    ...Object.keys(model.parameters),
    ...Object.keys(model.exogenous),
  ])
  const implicit = Object.keys(model.equations).filter((name) => !declared.has(name))
  return implicit.length === 0 ? model : { ...model, variables: { ...model.variables, ...Object.fromEntries(implicit.map((name) => [name, {}])) } }
}

/** A model's equations in their parts (parse.ts), per endogenous variable, with its symbol table; the model with its data written out (data.ts). */
export interface ModelEquations {
  readonly model: Model
  readonly symbols: SymbolTable
  /** Per endogenous variable (symbols.endogenous order), its equation. */
  readonly equations: readonly ParsedEquation[]
}

/** Parses every equation of a model (validated with Model.parse). @throws ModelError */
export const modelEquations = (input: Model): ModelEquations => {
  const model = withData(withEquationVariables(input))
  const symbols = buildSymbols(model)
  const equations = symbols.endogenous.map((name) =>
    parseEquationParts(model.equations[name]!, symbols.scope, ["equations", name], { variable: name, ar: model.estimate[name]?.ar ?? [], leads: true }),
  )
  return { model, symbols, equations }
}

