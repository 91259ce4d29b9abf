// The model's symbol table: every declared name with its kind and index (endogenous =
// indicators then `variables`, in file order; exogenous and parameters in file order), the
// lag history of each series, and the structural checks on declarations (one name, one
// meaning; one equation per endogenous variable and none for anything else; profile and
// exogenous value lengths). First stage of compile. Pure; throws ModelError.
import { ModelError, formatPath, type FieldPath } from "../errors.ts"
import type { Model } from "../schema/model.ts"
import { expandHistory, horizonOf, periodsPerYear } from "./calendar.ts"
import type { SymbolInfo } from "./parse.ts"

export interface SymbolTable {
  readonly endogenous: readonly string[]
  readonly exogenous: readonly string[]
  readonly parameters: readonly string[]
  readonly scope: ReadonlyMap<string, SymbolInfo>
  /** Per endogenous variable, its history (most recent last; empty when it has none). */
  readonly endoHistory: readonly (readonly number[])[]
  /** Per exogenous series, its history (most recent last; empty when it has none). */
  readonly exoHistory: readonly (readonly number[])[]
  /** Per exogenous series, its central value per horizon period. */
  readonly exoValues: readonly (readonly number[])[]
  /** Where each endogenous variable is declared (for errors that concern the declaration). */
  readonly endoPath: readonly FieldPath[]
}

/** Builds the symbol table and checks the declarations. @throws ModelError */
export const buildSymbols = (model: Model): SymbolTable => {
  const P = periodsPerYear(model.calendar.frequency)
  const T = horizonOf(model.calendar)
  const declared = new Map<string, FieldPath>()
  const declare = (name: string, path: FieldPath): void => {
    const first = declared.get(name)
    if (first !== undefined) throw new ModelError({ path, problem: `"${name}" is already declared at ${formatPath(first)}; every name has one meaning` })
    declared.set(name, path)
  }

  const endogenous: string[] = []
  const endoHistory: number[][] = []
  const endoPath: FieldPath[] = []
  model.indicators.forEach((ind, i) => {
    declare(ind.id, ["indicators", i, "id"])
    if (ind.profile !== undefined && ind.profile.length !== P)
      throw new ModelError({ path: ["indicators", i, "profile"], problem: `the profile has ${ind.profile.length} weights; a ${model.calendar.frequency} calendar needs ${P}` })
    endogenous.push(ind.id)
    endoHistory.push(ind.history !== undefined ? expandHistory(ind.history, P) : expandHistory(ind.base.growth, P))
    endoPath.push(["indicators", i, "id"])
  })
  for (const [name, v] of Object.entries(model.variables)) {
    declare(name, ["variables", name])
    endogenous.push(name)
    endoHistory.push(expandHistory(v.history, P))
    endoPath.push(["variables", name])
  }
  const parameters: string[] = []
  for (const name of Object.keys(model.parameters)) {
    declare(name, ["parameters", name])
    parameters.push(name)
  }
  const exogenous: string[] = []
  const exoHistory: number[][] = []
  const exoValues: number[][] = []
  for (const [name, x] of Object.entries(model.exogenous)) {
    declare(name, ["exogenous", name])
    if (Array.isArray(x.values) && x.values.length !== T)
      throw new ModelError({ path: ["exogenous", name, "values"], problem: `${x.values.length} values for a horizon of ${T} periods: give one value per period, or a single number` })
    exogenous.push(name)
    exoHistory.push(expandHistory(x.history, P))
    exoValues.push(Array.isArray(x.values) ? [...x.values] : Array.from({ length: T }, () => x.values as number))
  }

  for (const name of Object.keys(model.equations)) {
    const d = declared.get(name)
    if (d === undefined)
      throw new ModelError({ path: ["equations", name], problem: `"${name}" is not declared: an equation defines an indicator or an entry of variables` })
    if (d[0] === "parameters" || d[0] === "exogenous")
      throw new ModelError({ path: ["equations", name], problem: `"${name}" is ${d[0] === "parameters" ? "a parameter" : "an exogenous series"}, not an endogenous variable: it cannot have an equation` })
  }
  endogenous.forEach((name, j) => {
    if (!Object.hasOwn(model.equations, name)) throw new ModelError({ path: endoPath[j]!, problem: `"${name}" has no equation: add one under equations` })
  })

  const scope = new Map<string, SymbolInfo>()
  endogenous.forEach((name, index) => scope.set(name, { kind: "endogenous", index, history: endoHistory[index]!.length }))
  exogenous.forEach((name, index) => scope.set(name, { kind: "exogenous", index, history: exoHistory[index]!.length }))
  parameters.forEach((name, index) => scope.set(name, { kind: "parameter", index }))
  return { endogenous, exogenous, parameters, scope, endoHistory, exoHistory, exoValues, endoPath }
}
