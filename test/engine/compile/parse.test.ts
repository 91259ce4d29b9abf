// Unit tests of equation parsing and validation: every refusal names its equation's path and
// the offending identifier, function or construct; accepted forms become the expected tree.
import { describe, expect, it } from "vitest"
import { ModelError } from "../../../engine/errors.ts"
import { parseEquation, type SymbolInfo } from "../../../engine/compile/parse.ts"

const scope = new Map<string, SymbolInfo>([
  ["gdp", { kind: "endogenous", index: 0, history: 12 }],
  ["aux", { kind: "endogenous", index: 1, history: 0 }],
  ["ext", { kind: "exogenous", index: 0, history: 0 }],
  ["beta", { kind: "parameter", index: 0 }],
])
const path = ["equations", "gdp"]

const refusal = (text: string): ModelError => {
  try {
    parseEquation(text, scope, path)
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
    ["assignments", "gdp = 3", /assignments are not allowed/],
    ["function definitions", "f(x) = x", /function definitions are not allowed/],
    ["conditionals", "gdp > 0 ? 1 : 2", /conditionals/],
    ["comparisons", "gdp > 0", /comparisons are not allowed/],
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
