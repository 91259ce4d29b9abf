// Unit tests of equation parsing and validation: every refusal names its equation's path and
// the offending identifier, function or construct; accepted forms become the expected tree.
import { describe, expect, it } from "vitest"
import { ModelError } from "../../../engine/errors.ts"
import { parseEquation, parseEquationParts, type SymbolInfo } from "../../../engine/compile/parse.ts"

const scope = new Map<string, SymbolInfo>([
  ["gdp", { kind: "endogenous", index: 0, history: 12 }],
  ["aux", { kind: "endogenous", index: 1, history: 0 }],
  ["ext", { kind: "exogenous", index: 0, history: 0 }],
  ["beta", { kind: "parameter", index: 0 }],
  ["hx", { kind: "exogenous", index: 1, history: 4 }],
])
const path = ["equations", "gdp"]

const refusal = (text: string): ModelError => {
  try {
    parseEquation(text, scope, path, { variable: "gdp" })
  } catch (e) {
    expect(e).toBeInstanceOf(ModelError)
    expect((e as ModelError).path).toEqual(path)
    return e as ModelError
  }
  throw new Error(`accepted: ${text}`)
}

describe("parseEquation accepts", () => {
  it("arithmetic, whitelisted functions and lags", () => {
    expect(parseEquation("beta * gdp(-12) + abs(ext) - -aux", scope, path)).toEqual({
      kind: "bin",
      op: "-",
      left: {
        kind: "bin",
        op: "+",
        left: { kind: "bin", op: "*", left: { kind: "param", index: 0 }, right: { kind: "endo", index: 0, lag: 12 } },
        right: { kind: "call", fn: "abs", args: [{ kind: "exo", index: 0, lag: 0 }] },
      },
      right: { kind: "neg", arg: { kind: "endo", index: 1, lag: 0 } },
    })
  })
  it("parses -x^2 as -(x^2), as mathjs does", () => {
    expect(parseEquation("-beta^2", scope, path)).toEqual({ kind: "neg", arg: { kind: "bin", op: "^", left: { kind: "param", index: 0 }, right: { kind: "num", value: 2 } } })
  })
  it("unary plus, parentheses, min/max with several arguments, lags in parentheses", () => {
    expect(parseEquation("+(min(1, 2, beta))", scope, path)).toEqual({ kind: "call", fn: "min", args: [1, 2].map((value) => ({ kind: "num", value })).concat([{ kind: "param", index: 0 } as never]) })
    expect(parseEquation("gdp(-(3))", scope, path)).toEqual({ kind: "endo", index: 0, lag: 3 })
  })
})

const G = (lag: number) => ({ kind: "endo", index: 0, lag }) as const
const E = (lag: number) => ({ kind: "exo", index: 1, lag }) as const
const P = { kind: "param", index: 0 } as const
const bin = (op: string, left: unknown, right: unknown) => ({ kind: "bin", op, left, right })

describe("parseEquation rewrites", () => {
  it("a lag of a parenthesised expression into lags of its series", () => {
    expect(parseEquation("(gdp + beta * hx)(-2)", scope, path)).toEqual(bin("+", G(2), bin("*", P, E(2))))
    expect(parseEquation("tslag(gdp + hx, 3)", scope, path)).toEqual(bin("+", G(3), E(3)))
  })
  it("a lag of a function call and a lag of a lag", () => {
    expect(parseEquation("log(gdp)(-1)", scope, path)).toEqual({ kind: "call", fn: "log", args: [G(1)] })
    expect(parseEquation("(gdp(-1))(-2)", scope, path)).toEqual(G(3))
  })
  it("the series functions into lags (one table: whitelist.ts)", () => {
    expect(parseEquation("tsdelta(gdp)", scope, path)).toEqual(bin("-", G(0), G(1)))
    expect(parseEquation("tsdelta(gdp, 4)", scope, path)).toEqual(bin("-", G(0), G(4)))
    expect(parseEquation("tsdeltap(gdp)", scope, path)).toEqual(bin("*", { kind: "num", value: 100 }, bin("/", bin("-", G(0), G(1)), G(1))))
    expect(parseEquation("tsdeltalog(gdp, 2)", scope, path)).toEqual(bin("-", { kind: "call", fn: "log", args: [G(0)] }, { kind: "call", fn: "log", args: [G(2)] }))
    expect(parseEquation("movsum(gdp, 3)", scope, path)).toEqual(bin("+", bin("+", G(0), G(1)), G(2)))
    expect(parseEquation("movavg(gdp)", scope, path)).toEqual(bin("/", bin("+", G(0), G(1)), { kind: "num", value: 2 }))
    expect(parseEquation("tsdelta(gdp + hx)(-1)", scope, path)).toEqual(bin("-", bin("+", G(1), E(1)), bin("+", G(2), E(2))))
  })
  it("conditionals with comparisons, logic and chains", () => {
    expect(parseEquation("gdp > 0 and not (hx == 1) ? 1 : beta", scope, path)).toEqual({
      kind: "cond",
      test: { kind: "and", left: { kind: "cmp", op: ">", left: G(0), right: { kind: "num", value: 0 } }, right: { kind: "not", arg: { kind: "cmp", op: "==", left: E(0), right: { kind: "num", value: 1 } } } },
      then: { kind: "num", value: 1 },
      else: P,
    })
    expect(parseEquation("0 < gdp <= 1 ? 1 : 2", scope, path)).toMatchObject({ kind: "cond", test: { kind: "and", left: { op: "<" }, right: { op: "<=" } } })
  })
  it("a left-hand side solved for its variable", () => {
    const opts = { variable: "gdp" }
    expect(parseEquationParts("gdp = beta", scope, path, opts)).toEqual({ lhs: G(0), rhs: P, solved: P, ar: [] })
    expect(parseEquationParts("log(gdp) = beta", scope, path, opts)).toEqual({ lhs: { kind: "call", fn: "log", args: [G(0)] }, rhs: P, solved: { kind: "call", fn: "exp", args: [P] }, lhsFunction: "log", ar: [] })
    expect(parseEquation("tsdelta(gdp) = beta", scope, path, opts)).toEqual(bin("+", G(1), P))
    expect(parseEquation("tsdeltap(gdp) = beta", scope, path, opts)).toEqual(bin("*", G(1), bin("+", { kind: "num", value: 1 }, bin("/", P, { kind: "num", value: 100 }))))
    expect(parseEquation("tsdeltalog(gdp) = beta", scope, path, opts)).toEqual(bin("*", G(1), { kind: "call", fn: "exp", args: [P] }))
  })
  it("AR(n) errors: rhs + r1 (lhs - rhs)(-1) + ..., solved through the left-hand side", () => {
    const parts = parseEquationParts("log(gdp) = beta", scope, path, { variable: "gdp", ar: ["beta"] })
    const u1 = bin("-", { kind: "call", fn: "log", args: [G(1)] }, P)
    expect(parts.solved).toEqual({ kind: "call", fn: "exp", args: [bin("+", P, bin("*", P, u1))] })
    expect(parts.ar).toEqual([0])
  })
  it("leads where the caller allows them", () => {
    expect(parseEquation("gdp(+2) + (hx)(+1)", scope, path, { leads: true })).toEqual(bin("+", G(-2), E(-1)))
  })
})

describe("parseEquation refuses", () => {
  it.each([
    ["syntax errors, with the character position", "1 + (gdp", /syntax error at character \d+/],
    ["unknown identifiers, naming them", "gdp + nonexistent_var_xyz", /unknown identifier "nonexistent_var_xyz"/],
    ["functions outside the whitelist, naming them", "evaluate(\"1+1\")", /function "evaluate" is not allowed/],
    ["other mathjs functions", "sin(gdp)", /function "sin" is not allowed/],
    ["strings", "\"abc\"", /strings are not allowed/],
    ["booleans", "true", /constant true is not allowed/],
    ["matrices", "[1, 2]", /matrices are not allowed/],
    ["units (unknown identifiers)", "5 cm", /implicit multiplication|unknown identifier "cm"/],
    ["an assignment to another variable", "aux = 3", /left-hand side must be the variable this equation defines \("gdp"\).*names "aux"/],
    ["two assignments", "gdp = aux = 3", /one left-hand side/],
    ["function definitions", "f(x) = x", /"f" cannot stand on the left-hand side.*function definitions are not allowed/],
    ["a left-hand function of another variable", "log(aux) = 3", /must be the variable this equation defines/],
    ["a non-invertible left-hand side", "sqrt(gdp) = 3", /"sqrt" cannot stand on the left-hand side/],
    ["comparisons outside a conditional", "gdp > 0", /allowed only in the test of a conditional/],
    ["a conditional whose test is not a comparison", "gdp ? 1 : 2", /test of a conditional .* is a comparison/],
    ["a chained comparison outside a conditional", "1 < gdp < 2", /only as the test of a conditional/],
    ["a lead where leads are not allowed", "gdp(+1)", /gdp\(\+1\) is a lead: leads are not allowed here/],
    ["a lag of an expression beyond the history", "(gdp + aux)(-1)", /aux\(-1\) is a lag beyond the data/],
    ["a series function with a non-literal window", "movavg(gdp, beta)", /second argument of movavg is a positive integer literal/],
    ["a series function reaching beyond the history", "movsum(gdp, 14)", /gdp\(-13\) is a lag beyond the data/],
    ["tsdelta of a variable without history", "tsdelta(aux)", /aux\(-1\) is a lag beyond the data/],
    ["several expressions", "1; 2", /one expression/],
    ["the mod operator", "gdp % 2", /operator "%" is not allowed/],
    ["factorials", "3!", /operator "!" is not allowed/],
    ["implicit multiplication", "2 gdp", /implicit multiplication is not allowed/],
    ["the ambiguous 1/2x", "1/2beta", /implicit multiplication is not allowed/],
    ["a lead", "gdp(1)", /a lag is written gdp\(-k\)/],
    ["a zero lag", "gdp(-0)", /a lag is written/],
    ["a fractional lag", "gdp(-1.5)", /a lag is written/],
    ["a lag by a parameter", "gdp(-beta)", /a lag is written/],
    ["a lag with two arguments", "gdp(-1, 2)", /a lag is written/],
    ["lagging a parameter", "beta(-1)", /parameter "beta" cannot be lagged/],
    ["a lag beyond the history, naming variable and depth", "gdp(-13)", /gdp\(-13\) is a lag beyond the data: endogenous "gdp" has 12 periods/],
    ["a lag of a variable without history", "aux(-1)", /aux\(-1\) is a lag beyond the data: endogenous "aux" has no history/],
    ["a lag of an exogenous series without history", "ext(-2)", /ext\(-2\) is a lag beyond the data: exogenous "ext" has no history/],
    ["log with a base", "log(gdp, 10)", /log takes one argument/],
    ["a function with the wrong arity", "sqrt(1, 2)", /"sqrt" takes 1 argument/],
    ["indexing", "gdp[1]", /indexing is not allowed/],
    ["objects", "{a: 1}", /objects are not allowed/],
    ["calling an expression", "(gdp)(1)", /only named functions|implicit multiplication/],
    ["non-finite literals", "1e999", /not finite/],
    ["mathjs constants", "pi * gdp", /unknown identifier "pi"/],
  ])("%s", (_, text, pattern) => {
    expect(refusal(text).problem).toMatch(pattern)
  })
})
