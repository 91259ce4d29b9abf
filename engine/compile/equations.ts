// A model's equations parsed in their parts, with its symbol table: the model with its implicit
// variables declared (an equation defines its variable) and its data written out (data.ts),
// every equation through parse.ts; each observable becomes an endogenous variable of its id
// (equation: its expression), declared after the model's own variables, in the symbol table and
// the parsed equations only: the model returned keeps its observables apart (its `variables` and
// `equations` are the file's), so compiling it again gives the same. The first steps of compile,
// shared with estimation. Pure; throws ModelError.
import { ModelError, formatPath, type FieldPath } from "../errors.ts"
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

/**
 * The model with each observable written as an endogenous variable of its id: its equation is
 * the observable's expression, its lag history the base year's growth (its noise is drawn as
 * that variable's error: engine/project/draws.ts). An id that any other declaration or equation already uses is
 * refused at `observables.<id>`: an observable is a name of its own.
 * @throws ModelError
 */
export const withObservables = (model: Model): Model => {
  const ids = Object.keys(model.observables)
  if (ids.length === 0) return model
  const declared = new Map<string, FieldPath>()
  model.indicators.forEach((ind, i) => declared.set(ind.id, ["indicators", i, "id"]))
  for (const [what, names] of [
    ["variables", Object.keys(model.variables)],
    ["parameters", Object.keys(model.parameters)],
    ["exogenous", Object.keys(model.exogenous)],
    ["equations", Object.keys(model.equations)],
  ] as const)
    for (const name of names) if (!declared.has(name)) declared.set(name, [what, name])
  const variables = { ...model.variables }
  const equations = { ...model.equations }
  for (const id of ids) {
    const first = declared.get(id)
    if (first !== undefined) throw new ModelError({ path: ["observables", id], problem: `"${id}" is already declared at ${formatPath(first)}; an observable needs a name of its own` })
    const o = model.observables[id]!
    variables[id] = { name: o.name, history: o.base.growth }
    equations[id] = o.expression
  }
  return { ...model, variables, equations }
}

/** Where an endogenous variable's equation is written: `observables.<id>.expression` for an observable. */
const equationPath = (model: Model, name: string): FieldPath => (Object.hasOwn(model.observables, name) ? ["observables", name, "expression"] : ["equations", name])

/** A model's equations in their parts (parse.ts), per endogenous variable (its observables' included), with its symbol table; the model with its data written out (data.ts). */
export interface ModelEquations {
  readonly model: Model
  readonly symbols: SymbolTable
  /** Per endogenous variable (symbols.endogenous order), its equation. */
  readonly equations: readonly ParsedEquation[]
}

/** Parses every equation of a model (validated with Model.parse). @throws ModelError */
export const modelEquations = (input: Model): ModelEquations => {
  const model = withData(withEquationVariables(input))
  // observables are variables of their own to the solver only: `model` keeps them apart
  const solved = withObservables(model)
  const symbols = buildSymbols(solved)
  const equations = symbols.endogenous.map((name) =>
    parseEquationParts(solved.equations[name]!, symbols.scope, equationPath(solved, name), { variable: name, ar: model.estimate[name]?.ar ?? [], leads: true }),
  )
  return { model, symbols, equations }
}

