// Unit tests of the compiler's mathjs instance (engine/compile/math.ts): its parse and
// derivative give the trees of the full library, node for node, on the kinds of expression
// model equations use; what it leaves out fails loudly instead of answering.
import * as full from "mathjs"
import { describe, expect, it } from "vitest"
import { ConstantNode, derivative, OperatorNode, parse, SymbolNode } from "../../../engine/compile/math.ts"

const EXPRESSIONS = [
  "0.6 * y(-1) + 0.3 * g - 2.5e-3",
  "-x^2 + 2x - x / (1 + y)",
  "a * log(x) + exp(-y) + sqrt(abs(x - y)) + sign(x)",
  "log(x, 10) + x % 3 + min(x, y, 1) + max(x, 0)",
  "x > 0 and y <= 1 ? (x + y)(-1) : -x",
  "x == y or not (x < 1) ? movavg(x, 3) : tsdelta(log(x))",
]

describe("the compiler's mathjs", () => {
  it.each(EXPRESSIONS)("parses %s as the full library does", (text) => {
    expect(JSON.stringify(parse(text))).toBe(JSON.stringify(full.parse(text)))
    expect(parse(text).toString()).toBe(full.parse(text).toString())
  })

  it.each(["a * x^2 + log(x) + exp(y) + abs(x - y)", "x / (1 + y) - 2 * x * y + 0 * x + 1 * x", "(x + 1)^3 - sqrt(x)"])(
    "differentiates %s as the full library does (without simplify)",
    (text) => {
      expect(derivative(parse(text), "x", { simplify: false }).toString()).toBe(full.derivative(full.parse(text), "x", { simplify: false }).toString())
    },
  )

  it("differentiates trees built from its own node classes", () => {
    const tree = new OperatorNode("*", "multiply", [new ConstantNode(3), new OperatorNode("^", "pow", [new SymbolNode("v0"), new ConstantNode(2)])])
    expect(derivative(tree, "v0", { simplify: false }).toString()).toBe("3 * 2 * 1 * v0 ^ (2 - 1)")
  })

  it("refuses what it leaves out: simplify, evaluating a tree, units", () => {
    expect(() => derivative(parse("x^2"), "x")).toThrow(/simplify is not part of the engine's mathjs/)
    expect(() => parse("x[1]").compile().evaluate({ x: [1, 2] })).toThrow()
    expect(() => parse("2 cm").compile().evaluate({})).toThrow()
    expect(full.parse("2 cm").compile().evaluate({}).toString()).toBe("2 cm")
  })
})
