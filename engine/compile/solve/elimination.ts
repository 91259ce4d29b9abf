// Dense LU factorisation with partial pivoting and the matching substitution, emitted as
// JavaScript source over preallocated scratch arrays: A (m*m, row-major) is factored in place
// (multipliers below the diagonal, U on and above), P (Int32Array, m) records the pivot row of
// each step, and a right-hand side B (m) is replaced by the solution of A x = B. Splitting the
// two lets a block whose Jacobian is constant within a draw factor once per draw. Used by the
// Newton steps of simultaneous blocks (block.ts), inline or as one shared function per
// dimension (denseSolver). The emitted code allocates nothing; its loop
// variables are the kernel's locals listed in ELIMINATION_LOCALS. Pure.

/** Locals the emitted code assigns (the kernel declares them once); ec and er are free for callers' loops around a substitution. */
export const ELIMINATION_LOCALS = ["ek", "ei", "ej", "ep", "emx", "ea", "ef", "esc", "ec", "er"] as const

/** Relative pivot size below which the matrix counts as singular. */
export const PIVOT_TOLERANCE = 1e-13

/** Dimension up to which the substitution is emitted as straight-line code. */
export const UNROLL_LIMIT = 10

/**
 * Emits code factoring A in place; sets the boolean local `singular` when A is singular or
 * has a non-finite entry.
 */
export const emitFactor = (m: number, a: string, p: string, singular: string): string => `
${singular} = false; esc = 0;
for (ei = 0; ei < ${m * m}; ei++) { ea = Math.abs(${a}[ei]); if (ea > esc || ea !== ea) esc = ea; if (esc !== esc) break; }
if (!(esc < Infinity)) ${singular} = true;
for (ek = 0; ek < ${m} && !${singular}; ek++) {
  ep = ek; emx = Math.abs(${a}[ek * ${m} + ek]);
  for (ei = ek + 1; ei < ${m}; ei++) { ea = Math.abs(${a}[ei * ${m} + ek]); if (ea > emx) { emx = ea; ep = ei; } }
  if (!(emx > ${PIVOT_TOLERANCE} * esc)) { ${singular} = true; break; }
  ${p}[ek] = ep;
  if (ep !== ek) for (ej = 0; ej < ${m}; ej++) { ea = ${a}[ek * ${m} + ej]; ${a}[ek * ${m} + ej] = ${a}[ep * ${m} + ej]; ${a}[ep * ${m} + ej] = ea; }
  emx = ${a}[ek * ${m} + ek];
  for (ei = ek + 1; ei < ${m}; ei++) {
    ef = ${a}[ei * ${m} + ek] / emx;
    ${a}[ei * ${m} + ek] = ef;
    if (ef !== 0) for (ej = ek + 1; ej < ${m}; ej++) ${a}[ei * ${m} + ej] -= ef * ${a}[ek * ${m} + ej];
  }
}
`

/**
 * Emits code replacing B by the solution of A x = B, A factored by emitFactor. The row
 * interchanges are applied to B first, all of them, since the factorisation moved the stored
 * multipliers with every later interchange (as LAPACK's getrs does).
 */
export const emitSubstitute = (m: number, a: string, p: string, b: string): string => {
  if (m > UNROLL_LIMIT)
    return `
for (ek = 0; ek < ${m}; ek++) { ep = ${p}[ek]; if (ep !== ek) { ea = ${b}[ek]; ${b}[ek] = ${b}[ep]; ${b}[ep] = ea; } }
for (ek = 0; ek < ${m}; ek++) {
  ea = ${b}[ek]; if (ea !== 0) for (ei = ek + 1; ei < ${m}; ei++) ${b}[ei] -= ${a}[ei * ${m} + ek] * ea;
}
for (ek = ${m - 1}; ek >= 0; ek--) {
  ea = ${b}[ek];
  for (ej = ek + 1; ej < ${m}; ej++) ea -= ${a}[ek * ${m} + ej] * ${b}[ej];
  ${b}[ek] = ea / ${a}[ek * ${m} + ek];
}
`
  const lines: string[] = []
  for (let k = 0; k < m - 1; k++) lines.push(`ep = ${p}[${k}]; if (ep !== ${k}) { ea = ${b}[${k}]; ${b}[${k}] = ${b}[ep]; ${b}[ep] = ea; }`)
  for (let k = 0; k < m; k++) for (let i = k + 1; i < m; i++) lines.push(`${b}[${i}] -= ${a}[${i * m + k}] * ${b}[${k}];`)
  for (let k = m - 1; k >= 0; k--) {
    const terms = Array.from({ length: m - 1 - k }, (_, d) => ` - ${a}[${k * m + k + 1 + d}] * ${b}[${k + 1 + d}]`).join("")
    lines.push(`${b}[${k}] = (${b}[${k}]${terms}) / ${a}[${k * m + k}];`)
  }
  return "\n" + lines.join("\n") + "\n"
}

/** Emits code solving A x = B in place (A destroyed); sets `singular` instead when A is singular. */
export const emitElimination = (m: number, a: string, p: string, b: string, singular: string): string =>
  emitFactor(m, a, p, singular) + `if (!${singular}) {${emitSubstitute(m, a, p, b)}}`

const solvers = new Map<number, (a: Float64Array, p: Int32Array, b: Float64Array) => boolean>()

/**
 * A function solving A x = B in place for dimension m (A destroyed), true when A is singular:
 * the emitted elimination built once per dimension and shared by every block of that size, so
 * a block's dense fallback is one call in its code.
 */
export const denseSolver = (m: number): ((a: Float64Array, p: Int32Array, b: Float64Array) => boolean) => {
  let f = solvers.get(m)
  if (f === undefined) {
    f = new Function("A", "P", "B", `"use strict"; let ${ELIMINATION_LOCALS.map((x) => `${x} = 0`).join(", ")}, sing = false;${emitElimination(m, "A", "P", "B", "sing")} return sing;`) as (a: Float64Array, p: Int32Array, b: Float64Array) => boolean
    solvers.set(m, f)
  }
  return f
}
