// The one mathjs instance the compiler uses: built with `create` from the factories that
// `parse` and `derivative` need, not the full library. Left out: mathjs's units (`Unit`, an
// optional dependency of SymbolNode whose tables cost more to build than all the rest; model
// equations refuse units anyway), and the functions that only evaluating or printing a mathjs
// tree would call (`subset`, `size`, `ResultSet`, `isBounded`) or that only `derivative`'s
// `simplify: true` would (`simplify`): the engine never evaluates a mathjs tree, it compiles
// its own (codegen.ts), and differentiates with `simplify: false` (jacobian.ts). Those stand
// as functions that throw, so a use added later fails loudly. Every mathjs node the engine
// builds or reads comes from here, so parse.ts and jacobian.ts share node classes and
// configuration. Importing only these factories lets a bundler keep only the part of mathjs
// they reach (the CLI's start-up: adapters/cli/bundle.mjs); parse and derivative are mathjs's
// own, so they give the same trees as the full library. Pure.
import { create, derivativeDependencies, factory, parseDependencies, type FactoryFunctionMap } from "mathjs"

/** The factories reachable from `deps` (mathjs's dependency objects nest the factories they need). */
const factoriesOf = (deps: object, into: FactoryFunctionMap = {}): FactoryFunctionMap => {
  for (const value of Object.values(deps)) {
    if (typeof value === "function" && (value as { isFactory?: boolean }).isFactory) into[(value as unknown as { fn: string }).fn] = value as FactoryFunctionMap[string]
    else if (typeof value === "object" && value !== null) factoriesOf(value, into)
  }
  return into
}

/** A stand-in for a mathjs function the engine never calls: calling it is a defect. */
const unavailable = (name: string) =>
  factory(name, [], () => () => {
    throw new Error(`mathjs's ${name} is not part of the engine's mathjs instance (engine/compile/math.ts)`)
  })

const { Unit: _units, ...factories } = factoriesOf({ parseDependencies, derivativeDependencies })
for (const name of ["subset", "size", "ResultSet", "isBounded", "simplify"]) factories[name] = unavailable(name)
const math = create(factories)

/** mathjs's expression parser (text to an AST). */
export const parse = math.parse
/** mathjs's symbolic derivative of an AST with respect to one symbol; only with `{ simplify: false }`. */
export const derivative = math.derivative
/** Node classes of this instance, for building ASTs that `derivative` reads. */
export const { ConstantNode, FunctionNode, OperatorNode, SymbolNode } = math
export type { MathNode } from "mathjs"
