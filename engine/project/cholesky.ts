// The dense linear algebra of the closed-form conditioning (kalman.ts) for one draw: the
// release covariance S = H H' + R, its Cholesky factor in place with the log determinant of
// every leading block, and the forward and back substitutions against it. Leading blocks are
// what let one factorisation serve every prefix of the releases (a backtest's steps): the
// factor's leading k x k block is the factor of S's leading block, bit for bit. Pure: writes
// only the buffers it is given.

/**
 * The lower triangle of S = H H' + R into S (K x K, row-major): H's row k spans the first
 * (through[k] + 1) * Q error innovations, then the linear sources from nQ to nE; R = diag(sd^2).
 */
export const releaseCovariance = (H: Float64Array, nE: number, nQ: number, Q: number, through: Int32Array, sd: Float64Array, K: number, S: Float64Array): void => {
  for (let k = 0; k < K; k++) {
    const hk = k * nE
    const tk = through[k]
    for (let l = 0; l <= k; l++) {
      const len = (Math.min(tk, through[l]) + 1) * Q
      const hl = l * nE
      let s = k === l ? sd[k] * sd[k] : 0
      for (let x = 0; x < len; x++) s += H[hk + x] * H[hl + x]
      for (let x = nQ; x < nE; x++) s += H[hk + x] * H[hl + x]
      S[k * K + l] = s
    }
  }
}

/**
 * S's Cholesky factor L (S = L L') in place over its lower triangle, row by row; logDetAt[k + 1]
 * is the log determinant of the factor's leading (k + 1) x (k + 1) block. Returns the rows
 * factored: K, or the first row where S's leading block is not positive definite.
 */
export const choleskyInPlace = (S: Float64Array, K: number, logDetAt: Float64Array): number => {
  let logDet = 0
  for (let k = 0; k < K; k++) {
    const sk = k * K
    for (let l = 0; l <= k; l++) {
      const sl = l * K
      let s = S[sk + l]
      for (let m = 0; m < l; m++) s -= S[sk + m] * S[sl + m]
      if (l === k) {
        if (!(s > 0)) return k
        const root = Math.sqrt(s)
        S[sk + k] = root
        logDet += Math.log(root)
      } else S[sk + l] = s / S[sl + l]
    }
    logDetAt[k + 1] = logDet
  }
  return K
}

/**
 * Against the leading K x K block of the factor L in S (stride KS): r1 = L^-1 (y - m0), whose
 * squared norm it returns, and r2 = S^-1 (y - mh) (forward then back substitution).
 */
export const substitute = (S: Float64Array, KS: number, K: number, y: ArrayLike<number>, m0: Float64Array, mh: Float64Array, r1: Float64Array, r2: Float64Array): number => {
  let quad = 0
  for (let k = 0; k < K; k++) {
    const sk = k * KS
    let a = y[k] - m0[k], b = y[k] - mh[k]
    for (let m = 0; m < k; m++) {
      a -= S[sk + m] * r1[m]
      b -= S[sk + m] * r2[m]
    }
    a /= S[sk + k]
    r1[k] = a
    r2[k] = b / S[sk + k]
    quad += a * a
  }
  for (let k = K - 1; k >= 0; k--) {
    let b = r2[k]
    for (let m = k + 1; m < K; m++) b -= S[m * KS + k] * r2[m]
    r2[k] = b / S[k * KS + k]
  }
  return quad
}
