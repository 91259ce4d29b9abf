// The compiler's expression tree: a validated equation's mathjs AST with every identifier
// resolved to a kind and an index (endogenous, exogenous, parameter) and every lag to a depth
// (a negative lag is a lead). parse.ts builds it from mathjs nodes (series functions such as
// tsdelta and lags of expressions already rewritten to lags of series), jacobian.ts
// differentiates it, codegen.ts emits JavaScript from it. Invariant: only whitelisted
// operators/functions, plus `sign`, which only symbolic derivatives introduce; comparisons and
// logic appear only in the test of a conditional. Pure.

export type BinaryOp = "+" | "-" | "*" | "/" | "^"
export type CallName = "abs" | "exp" | "log" | "sqrt" | "min" | "max" | "sign"
export type CompareOp = "<" | "<=" | ">" | ">=" | "==" | "!="

/** The test of a conditional: comparisons of expressions joined by and/or/not. */
export type Test =
  | { readonly kind: "cmp"; readonly op: CompareOp; readonly left: Expr; readonly right: Expr }
  | { readonly kind: "and" | "or"; readonly left: Test; readonly right: Test }
  | { readonly kind: "not"; readonly arg: Test }

export type Expr =
  | { readonly kind: "num"; readonly value: number }
  | { readonly kind: "endo"; readonly index: number; readonly lag: number }
  | { readonly kind: "exo"; readonly index: number; readonly lag: number }
  | { readonly kind: "param"; readonly index: number }
  | { readonly kind: "neg"; readonly arg: Expr }
  | { readonly kind: "bin"; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr }
  | { readonly kind: "call"; readonly fn: CallName; readonly args: readonly Expr[] }
  | { readonly kind: "cond"; readonly test: Test; readonly then: Expr; readonly else: Expr }

/** The expressions a test compares, in order. */
export const testOperands = (t: Test): Expr[] =>
  t.kind === "cmp" ? [t.left, t.right] : t.kind === "not" ? testOperands(t.arg) : [...testOperands(t.left), ...testOperands(t.right)]

/** Calls `visit` on every node of `e` (the operands of a conditional's test included), parents before children. */
export const walk = (e: Expr, visit: (node: Expr) => void): void => {
  visit(e)
  switch (e.kind) {
    case "neg":
      walk(e.arg, visit)
      break
    case "bin":
      walk(e.left, visit)
      walk(e.right, visit)
      break
    case "call":
      for (const a of e.args) walk(a, visit)
      break
    case "cond":
      for (const a of testOperands(e.test)) walk(a, visit)
      walk(e.then, visit)
      walk(e.else, visit)
      break
    default:
      break
  }
}

/** `e` with every series read moved `k` periods into the past (a lag of the whole expression; k < 0: a lead). */
export const shift = (e: Expr, k: number): Expr => {
  if (k === 0) return e
  const t = (test: Test): Test =>
    test.kind === "cmp"
      ? { ...test, left: shift(test.left, k), right: shift(test.right, k) }
      : test.kind === "not"
        ? { kind: "not", arg: t(test.arg) }
        : { kind: test.kind, left: t(test.left), right: t(test.right) }
  switch (e.kind) {
    case "endo":
    case "exo":
      return { ...e, lag: e.lag + k }
    case "neg":
      return { kind: "neg", arg: shift(e.arg, k) }
    case "bin":
      return { ...e, left: shift(e.left, k), right: shift(e.right, k) }
    case "call":
      return { ...e, args: e.args.map((a) => shift(a, k)) }
    case "cond":
      return { kind: "cond", test: t(e.test), then: shift(e.then, k), else: shift(e.else, k) }
    default:
      return e
  }
}

/** True when `e` contains a conditional. */
export const hasConditional = (e: Expr): boolean => {
  let found = false
  walk(e, (n) => {
    if (n.kind === "cond") found = true
  })
  return found
}

/**
 * `e` with its conditionals lifted to the top: a tree of conditionals whose leaves contain
 * none, e.g. `2 * (c ? a : b)` becomes `c ? 2 * a : 2 * b` (the same value in every branch).
 * The Jacobian differentiates the leaves; tests stay as they are.
 */
export const liftConditionals = (e: Expr): Expr => {
  const rebuild = (parts: readonly Expr[], make: (xs: Expr[]) => Expr): Expr => {
    const i = parts.findIndex((p) => p.kind === "cond")
    if (i < 0) return make([...parts])
    const c = parts[i] as Extract<Expr, { kind: "cond" }>
    const at = (x: Expr): Expr[] => parts.map((p, j) => (j === i ? x : p))
    return { kind: "cond", test: c.test, then: rebuild(at(c.then), make), else: rebuild(at(c.else), make) }
  }
  switch (e.kind) {
    case "neg":
      return rebuild([liftConditionals(e.arg)], ([a]) => ({ kind: "neg", arg: a! }))
    case "bin":
      return rebuild([liftConditionals(e.left), liftConditionals(e.right)], ([l, r]) => ({ kind: "bin", op: e.op, left: l!, right: r! }))
    case "call":
      return rebuild(e.args.map(liftConditionals), (args) => ({ kind: "call", fn: e.fn, args }))
    case "cond":
      return { kind: "cond", test: e.test, then: liftConditionals(e.then), else: liftConditionals(e.else) }
    default:
      return e
  }
}

/** Endogenous variables `e` reads in the current period (lag 0), sorted, without repeats. */
export const currentEndogenous = (e: Expr): number[] => {
  const seen = new Set<number>()
  walk(e, (n) => {
    if (n.kind === "endo" && n.lag === 0) seen.add(n.index)
  })
  return [...seen].sort((a, b) => a - b)
}

/** The deepest lag `e` reads, 0 when it reads none (leads do not count). */
export const maxLag = (e: Expr): number => {
  let m = 0
  walk(e, (n) => {
    if ((n.kind === "endo" || n.kind === "exo") && n.lag > m) m = n.lag
  })
  return m
}

/** The farthest lead `e` reads (as a positive number of periods), 0 when it reads none. */
export const maxLead = (e: Expr): number => {
  let m = 0
  walk(e, (n) => {
    if ((n.kind === "endo" || n.kind === "exo") && -n.lag > m) m = -n.lag
  })
  return m
}
