// The current-period dependency graph of the endogenous variables and its block order:
// Tarjan's strongly connected components, emitted so that every block comes after the
// blocks it reads. A block is simultaneous when it has more than one variable or its one
// variable reads itself in the same period. Lags are not edges (they read the past).
// Between parse.ts and codegen.ts. Pure; deterministic (ties broken by variable index).

/** A set of endogenous variables (indexes, ascending) solved together in one period. */
export interface Block {
  readonly variables: readonly number[]
  readonly simultaneous: boolean
}

/**
 * Orders the variables into blocks.
 * @param reads reads[j] = the variables equation j reads in the current period
 * @returns blocks in evaluation order: each block only reads itself and earlier blocks
 */
export const blockOrder = (reads: readonly (readonly number[])[]): Block[] => {
  const n = reads.length
  const index = new Int32Array(n).fill(-1)
  const low = new Int32Array(n)
  const onStack = new Uint8Array(n)
  const stack: number[] = []
  const blocks: Block[] = []
  let counter = 0
  // Iterative Tarjan: frames of (node, next edge position).
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue
    const frames: [number, number][] = [[root, 0]]
    index[root] = low[root] = counter++
    stack.push(root)
    onStack[root] = 1
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!
      const [v, pos] = frame
      const edges = reads[v]!
      if (pos < edges.length) {
        frame[1] = pos + 1
        const w = edges[pos]!
        if (index[w] === -1) {
          index[w] = low[w] = counter++
          stack.push(w)
          onStack[w] = 1
          frames.push([w, 0])
        } else if (onStack[w]) low[v] = Math.min(low[v]!, index[w]!)
        continue
      }
      frames.pop()
      if (frames.length > 0) {
        const parent = frames[frames.length - 1]![0]
        low[parent] = Math.min(low[parent]!, low[v]!)
      }
      if (low[v] === index[v]) {
        const members: number[] = []
        let w: number
        do {
          w = stack.pop()!
          onStack[w] = 0
          members.push(w)
        } while (w !== v)
        members.sort((a, b) => a - b)
        const simultaneous = members.length > 1 || reads[v]!.includes(v)
        blocks.push({ variables: members, simultaneous })
      }
    }
  }
  return blocks
}

/**
 * An order of a simultaneous block's variables for Gauss-Seidel sweeps: greedily the variable
 * with the fewest reads of block variables not yet placed (ties by index), so that a sweep
 * uses this sweep's values wherever the cycle structure allows.
 */
export const sweepOrder = (reads: readonly (readonly number[])[], variables: readonly number[]): number[] => {
  const remaining = new Set(variables)
  const order: number[] = []
  while (remaining.size > 0) {
    let best = -1
    let bestCount = Infinity
    for (const v of remaining) {
      let count = 0
      for (const w of reads[v]!) if (w !== v && remaining.has(w)) count++
      if (count < bestCount || (count === bestCount && v < best)) {
        best = v
        bestCount = count
      }
    }
    remaining.delete(best)
    order.push(best)
  }
  return order
}
