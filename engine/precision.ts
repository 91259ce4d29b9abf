// How many digits a number carries in text meant for reading or for spreadsheets: CSV cells,
// NDJSON rows, tables of raw values and messages. One rule: 12 significant digits, trailing
// zeros dropped, so the noise of binary floating point (7.000000000000006) never shows while
// every figure the model can mean survives; -0 prints as 0. JSON documents (the projection
// contract, `--format json`, forecasts) keep full precision and do not pass through here.
// Pure.

/** Significant digits of a number written as text (README, "Numbers in outputs"). */
export const SIGNIFICANT_DIGITS = 12

/** `x` rounded to SIGNIFICANT_DIGITS significant digits (non-finite values unchanged). */
export const roundShown = (x: number): number => {
  if (!Number.isFinite(x) || x === 0) return x === 0 ? 0 : x
  return Number(x.toPrecision(SIGNIFICANT_DIGITS))
}

/** `x` as text by the rule: 7.000000000000006 is "7", 0.1 + 0.2 is "0.3", 1e-15 stays "1e-15". */
export const numberText = (x: number): string => String(roundShown(x))
