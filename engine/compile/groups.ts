// How a model's kernel is cut into functions small enough for V8's optimising compiler: the
// recursive blocks, in solution order, are packed into consecutive groups whose expression size stays
// under a budget (a block larger than the budget is a group of its own), and consecutive
// groups form segments that share one period loop. A group whose variables an earlier group
// reads with a lag must run period by period with it (the earlier group needs last period's
// value of the later one); otherwise the earlier groups run all periods of a draw first.
// A simultaneous block is always a group of its own. Between graph.ts/jacobian.ts and
// codegen.ts. Pure; deterministic.
import { walk, type Expr } from "./expr.ts"
import type { Block } from "./graph.ts"

/** Expression nodes per group function: about 60 KB of source at most, far below V8's limit for optimised code. */
export const GROUP_BUDGET = 1500

/** Number of nodes of an expression tree. */
export const nodes = (e: Expr): number => {
  let c = 0
  walk(e, () => c++)
  return c
}

/** The emitted size of a block in expression nodes, with the fixed cost of a simultaneous block's solver. */
export const blockCost = (block: Block, rhs: readonly Expr[], jacobian: readonly (readonly Expr[])[] | undefined): number => {
  let c = 0
  for (const j of block.variables) c += nodes(rhs[j]!) + 4
  if (!block.simultaneous) return c
  const m = block.variables.length
  if (jacobian !== undefined) for (const row of jacobian) for (const d of row) c += d.kind === "num" && d.value === 0 ? 0 : nodes(d) + 2
  return c + 12 * m + 2 * m * m
}

/**
 * Packs blocks (in order) into consecutive groups of at most `budget` cost each; a
 * simultaneous block is a group of its own, so that the locals live across its iteration
 * loops are its own few (V8's mid tier spends time and memory per loop and live local).
 * @returns per group, the indexes of its blocks (ascending, consecutive)
 */
export const groupBlocks = (costs: readonly number[], simultaneous: readonly boolean[], budget = GROUP_BUDGET): number[][] => {
  const groups: number[][] = []
  let current: number[] = []
  let size = 0
  costs.forEach((c, bi) => {
    if (current.length > 0 && (size + c > budget || simultaneous[bi] || simultaneous[current[0]!]!)) {
      groups.push(current)
      current = []
      size = 0
    }
    current.push(bi)
    size += c
  })
  if (current.length > 0) groups.push(current)
  return groups
}

/**
 * Cuts the groups into segments [from, to) of group indexes: no group reads, with a lag, a
 * variable of a group in a later segment. A segment of one group runs all periods in one call;
 * the groups of a longer segment are called period by period, in order.
 * @param lagReads per group, the groups whose variables it reads with a lag of one or more
 */
export const segments = (lagReads: readonly (readonly number[])[]): { from: number; to: number }[] => {
  const out: { from: number; to: number }[] = []
  let from = 0
  let reach = -1
  lagReads.forEach((reads, g) => {
    for (const h of reads) if (h > reach) reach = h
    if (reach <= g) {
      out.push({ from, to: g + 1 })
      from = g + 1
      reach = -1
    }
  })
  return out
}
