// Dense Gaussian elimination with partial pivoting, emitted as JavaScript source over
// preallocated scratch arrays (row-major matrix A of size m*m, right-hand side B of size m):
// on success B holds the solution; on a singular or non-finite matrix the flag variable is set to true.
// Used by the Newton step of simultaneous blocks (newton.ts). The emitted code allocates
// nothing; its loop variables are the kernel's locals listed in ELIMINATION_LOCALS. Pure.

/** Locals the emitted elimination code assigns (the kernel declares them once). */
export const ELIMINATION_LOCALS = ["ek", "ei", "ej", "ep", "emx", "ea", "ef", "esc"] as const

/** Relative pivot size below which the matrix counts as singular. */
export const PIVOT_TOLERANCE = 1e-13

/**
 * Emits code solving A x = B in place.
 * @param m the dimension (a compile-time constant)
 * @param a name of the Float64Array holding A (destroyed)
 * @param b name of the Float64Array holding B (replaced by the solution)
 * @param singular name of a boolean local set to whether A is singular
 */
export const emitElimination = (m: number, a: string, b: string, singular: string): string => `
${singular} = false; esc = 0;
for (ei = 0; ei < ${m * m}; ei++) { ea = Math.abs(${a}[ei]); if (ea > esc || ea !== ea) esc = ea; if (esc !== esc) break; }
if (!(esc < Infinity)) ${singular} = true;
for (ek = 0; ek < ${m} && !${singular}; ek++) {
  ep = ek; emx = Math.abs(${a}[ek * ${m} + ek]);
  for (ei = ek + 1; ei < ${m}; ei++) { ea = Math.abs(${a}[ei * ${m} + ek]); if (ea > emx) { emx = ea; ep = ei; } }
  if (!(emx > ${PIVOT_TOLERANCE} * esc)) { ${singular} = true; break; }
  if (ep !== ek) {
    for (ej = ek; ej < ${m}; ej++) { ea = ${a}[ek * ${m} + ej]; ${a}[ek * ${m} + ej] = ${a}[ep * ${m} + ej]; ${a}[ep * ${m} + ej] = ea; }
    ea = ${b}[ek]; ${b}[ek] = ${b}[ep]; ${b}[ep] = ea;
  }
  emx = ${a}[ek * ${m} + ek];
  for (ei = ek + 1; ei < ${m}; ei++) {
    ef = ${a}[ei * ${m} + ek] / emx;
    if (ef !== 0) {
      for (ej = ek + 1; ej < ${m}; ej++) ${a}[ei * ${m} + ej] -= ef * ${a}[ek * ${m} + ej];
      ${b}[ei] -= ef * ${b}[ek];
    }
  }
}
if (!${singular}) for (ek = ${m - 1}; ek >= 0; ek--) {
  ea = ${b}[ek];
  for (ej = ek + 1; ej < ${m}; ej++) ea -= ${a}[ek * ${m} + ej] * ${b}[ej];
  ${b}[ek] = ea / ${a}[ek * ${m} + ek];
}
`
