// Unit tests of the digits rule for text outputs (engine/precision.ts): 12 significant digits,
// so floating-point noise disappears while small and large figures keep their value.
import { describe, expect, it } from "vitest"
import { numberText, roundShown, SIGNIFICANT_DIGITS } from "../../engine/precision.ts"

describe("numberText", () => {
  it("drops binary floating-point noise", () => {
    expect(numberText(7.000000000000006)).toBe("7")
    expect(numberText(0.1 + 0.2)).toBe("0.3")
    expect(numberText(-4.999999999999999)).toBe("-5")
  })

  it("keeps 12 significant digits, small and large figures alike", () => {
    expect(SIGNIFICANT_DIGITS).toBe(12)
    expect(numberText(1 / 3)).toBe("0.333333333333")
    expect(numberText(123456.7890123456)).toBe("123456.789012")
    expect(numberText(1e-15)).toBe("1e-15")
    expect(numberText(2.5e21)).toBe("2.5e+21")
    expect(numberText(-0)).toBe("0")
  })

  it("leaves non-finite values as they are", () => {
    expect(roundShown(Number.NaN)).toBeNaN()
    expect(roundShown(Infinity)).toBe(Infinity)
  })
})
