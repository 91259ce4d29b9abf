// The block structure of a compiled model as a reader wants it: the blocks in solution order,
// each with its variables, whether it is simultaneous or recursive, linear or not, the solver
// that runs it and its size. Read off the compiled model (compile/index.ts orders the blocks,
// solve/block.ts and solve/stacked.ts solve them); a forward-looking model is one stacked
// block of every variable in every period. Pure.
import type { CompiledModel } from "./compiled.ts"
import { modelEquations } from "./equations.ts"
import { readsLeads } from "./forward.ts"
import { fallbackIterations } from "./solve/block.ts"

/** How a block is solved in each period (or, stacked, over the whole horizon). */
export type BlockSolver = "evaluation" | "newton" | "gauss-seidel" | "stacked-newton"

/** One block of a model's solution order. */
export interface BlockInfo {
  /** Position in the solution order, from 1. */
  readonly block: number
  readonly variables: readonly string[]
  /** Solved jointly (its variables depend on each other in the same period); else recursive, evaluated once. */
  readonly simultaneous: boolean
  /** Linear in its own variables (a recursive block is reported linear: one evaluation). */
  readonly linear: boolean
  readonly solver: BlockSolver
  /** The solver in words: its method, iteration limit and fallback. */
  readonly method: string
  /** Unknowns solved together: the block's variables, times the periods for a stacked block. */
  readonly size: number
}

/** A model's block structure: its blocks in solution order and the solver settings they run with. */
export interface BlockStructure {
  readonly model: string
  /** Whether the model reads leads (x(+k)): then it is one stacked block over the horizon. */
  readonly forwardLooking: boolean
  readonly periods: number
  readonly equations: number
  readonly tolerance: number
  readonly blocks: readonly BlockInfo[]
}

/** The block structure of a compiled model. */
export const blockStructure = (compiled: CompiledModel): BlockStructure => {
  const { solver } = compiled.model
  const forwardLooking = readsLeads(modelEquations(compiled.model))
  const T = compiled.periods.length
  const blocks = compiled.blocks.map((b, k): BlockInfo => {
    const n = b.variables.length
    const common = { block: k + 1, variables: b.variables, simultaneous: b.simultaneous, linear: b.linear }
    if (forwardLooking)
      return { ...common, solver: "stacked-newton", method: `stacked-time Newton over ${T} periods with the banded Jacobian, at most ${solver.maxIterations} iterations`, size: n * T }
    if (!b.simultaneous) return { ...common, solver: "evaluation", method: "evaluated once per period", size: n }
    if (solver.method === "gauss-seidel") return { ...common, solver: "gauss-seidel", method: `Gauss-Seidel, at most ${solver.maxIterations} sweeps`, size: n }
    const newton = b.linear ? "Newton, one exact step (linear)" : `Newton, at most ${solver.maxIterations} iterations`
    return { ...common, solver: "newton", method: `${newton}; Gauss-Seidel fallback, at most ${fallbackIterations(solver.maxIterations)} sweeps`, size: n }
  })
  return { model: compiled.model.name, forwardLooking, periods: T, equations: compiled.endogenous.length, tolerance: solver.tolerance, blocks }
}
