// Ordinary least squares with optional linear restrictions R b = r, and its fit statistics:
// coefficients, standard errors, t statistics, residuals, R² (centred, as bimets and EViews
// report it when the equation has a constant), adjusted R², the standard error of the
// regression, the residual sum of squares and the Durbin-Watson statistic. Solved through
// the normal equations with a Cholesky factorisation of X'X (the regressions of
// macroeconometric models have a handful of regressors); a regressor set that is not of full
// rank is refused. Restricted least squares: b_r = b - (X'X)^-1 R' [R (X'X)^-1 R']^-1 (R b - r),
// with covariance s² [(X'X)^-1 - (X'X)^-1 R' (R (X'X)^-1 R')^-1 R (X'X)^-1] and s² on n - k + q
// degrees of freedom. Pure numbers in, numbers out; throws RangeError with the reason.

/** A fitted regression. */
export interface OlsFit {
  readonly coefficients: Float64Array
  readonly standardErrors: Float64Array
  readonly tStatistics: Float64Array
  readonly residuals: Float64Array
  readonly fitted: Float64Array
  readonly rSquared: number
  readonly adjustedRSquared: number
  /** Standard error of the regression, sqrt(SSR / dof). */
  readonly ser: number
  readonly ssr: number
  readonly durbinWatson: number
  /** Observations minus free coefficients (k - q). */
  readonly dof: number
  readonly observations: number
}

/** Linear restrictions on the coefficients: R b = r, one row per restriction. */
export interface Restrictions {
  readonly R: readonly (readonly number[])[]
  readonly r: readonly number[]
}

// Inverse of a symmetric positive definite k x k matrix (row-major) by Cholesky, or undefined when it is not positive definite.
const spdInverse = (a: Float64Array, k: number): Float64Array | undefined => {
  const L = new Float64Array(k * k)
  let scale = 0
  for (let i = 0; i < k; i++) scale = Math.max(scale, Math.abs(a[i * k + i]!))
  for (let j = 0; j < k; j++) {
    let d = a[j * k + j]!
    for (let m = 0; m < j; m++) d -= L[j * k + m]! ** 2
    if (!(d > 1e-12 * scale)) return undefined
    const ljj = Math.sqrt(d)
    L[j * k + j] = ljj
    for (let i = j + 1; i < k; i++) {
      let s = a[i * k + j]!
      for (let m = 0; m < j; m++) s -= L[i * k + m]! * L[j * k + m]!
      L[i * k + j] = s / ljj
    }
  }
  // inverse of L, then (L^-1)' L^-1
  const Li = new Float64Array(k * k)
  for (let i = 0; i < k; i++) {
    Li[i * k + i] = 1 / L[i * k + i]!
    for (let j = 0; j < i; j++) {
      let s = 0
      for (let m = j; m < i; m++) s -= L[i * k + m]! * Li[m * k + j]!
      Li[i * k + j] = s / L[i * k + i]!
    }
  }
  const inv = new Float64Array(k * k)
  for (let i = 0; i < k; i++)
    for (let j = 0; j <= i; j++) {
      let s = 0
      for (let m = i; m < k; m++) s += Li[m * k + i]! * Li[m * k + j]!
      inv[i * k + j] = s
      inv[j * k + i] = s
    }
  return inv
}

// Solves a small dense system by Gaussian elimination with partial pivoting; undefined when singular.
const solveDense = (a: number[][], b: number[]): number[] | undefined => {
  const n = b.length
  const m = a.map((row, i) => [...row, b[i]!])
  for (let c = 0; c < n; c++) {
    let p = c
    for (let i = c + 1; i < n; i++) if (Math.abs(m[i]![c]!) > Math.abs(m[p]![c]!)) p = i
    if (Math.abs(m[p]![c]!) < 1e-14) return undefined
    ;[m[c], m[p]] = [m[p]!, m[c]!]
    for (let i = c + 1; i < n; i++) {
      const f = m[i]![c]! / m[c]![c]!
      for (let j = c; j <= n; j++) m[i]![j]! -= f * m[c]![j]!
    }
  }
  const x = new Array<number>(n).fill(0)
  for (let i = n - 1; i >= 0; i--) {
    let s = m[i]![n]!
    for (let j = i + 1; j < n; j++) s -= m[i]![j]! * x[j]!
    x[i] = s / m[i]![i]!
  }
  return x
}

/**
 * Fits y on the columns of X (each a regressor over the same observations).
 * @param centred R² about the mean of y (true when the regressors include a constant); else about zero
 * @throws RangeError when there are not more observations than free coefficients, the regressors are collinear, or the restrictions are inconsistent
 */
export const ols = (y: Float64Array, X: readonly Float64Array[], restrictions?: Restrictions, centred = true): OlsFit => {
  const n = y.length
  const k = X.length
  const q = restrictions?.R.length ?? 0
  if (n <= k - q) throw new RangeError(`${n} observations for ${k - q} free coefficients: the sample is too short`)
  const xtx = new Float64Array(k * k)
  const xty = new Float64Array(k)
  for (let i = 0; i < k; i++) {
    const xi = X[i]!
    let sy = 0
    for (let t = 0; t < n; t++) sy += xi[t]! * y[t]!
    xty[i] = sy
    for (let j = 0; j <= i; j++) {
      const xj = X[j]!
      let s = 0
      for (let t = 0; t < n; t++) s += xi[t]! * xj[t]!
      xtx[i * k + j] = s
      xtx[j * k + i] = s
    }
  }
  const inv = spdInverse(xtx, k)
  if (inv === undefined) throw new RangeError("the regressors are collinear (X'X is singular): a coefficient cannot be told apart from the others over this sample")
  const b = new Float64Array(k)
  for (let i = 0; i < k; i++) {
    let s = 0
    for (let j = 0; j < k; j++) s += inv[i * k + j]! * xty[j]!
    b[i] = s
  }
  const cov = Float64Array.from(inv)
  if (restrictions !== undefined && q > 0) {
    const { R, r } = restrictions
    // A = (X'X)^-1 R' (k x q), M = R A (q x q)
    const A = Array.from({ length: k }, (_, i) => R.map((row) => row.reduce((s, rv, j) => s + inv[i * k + j]! * rv, 0)))
    const M = R.map((row) => Array.from({ length: q }, (_, c) => row.reduce((s, rv, j) => s + rv * A[j]![c]!, 0)))
    const gap = R.map((row, i) => row.reduce((s, rv, j) => s + rv * b[j]!, 0) - r[i]!)
    const lambda = solveDense(M, gap)
    if (lambda === undefined) throw new RangeError("the restrictions are not independent (R (X'X)^-1 R' is singular)")
    for (let i = 0; i < k; i++) b[i] = b[i]! - A[i]!.reduce((s, a, c) => s + a * lambda[c]!, 0)
    // cov -= A M^-1 A'
    const Minv = Array.from({ length: q }, (_, c) => solveDense(M, Array.from({ length: q }, (_, i) => (i === c ? 1 : 0)))!)
    for (let i = 0; i < k; i++)
      for (let j = 0; j < k; j++) {
        let s = 0
        for (let a = 0; a < q; a++) for (let c = 0; c < q; c++) s += A[i]![a]! * Minv[c]![a]! * A[j]![c]!
        cov[i * k + j] = cov[i * k + j]! - s
      }
  }
  const fitted = new Float64Array(n)
  const residuals = new Float64Array(n)
  let ssr = 0
  let mean = 0
  for (let t = 0; t < n; t++) mean += y[t]!
  mean /= n
  let sst = 0
  for (let t = 0; t < n; t++) {
    let f = 0
    for (let i = 0; i < k; i++) f += X[i]![t]! * b[i]!
    fitted[t] = f
    residuals[t] = y[t]! - f
    ssr += residuals[t]! ** 2
    sst += (y[t]! - (centred ? mean : 0)) ** 2
  }
  const dof = n - k + q
  const s2 = ssr / dof
  const se = Float64Array.from({ length: k }, (_, i) => Math.sqrt(Math.max(0, s2 * cov[i * k + i]!)))
  let dwNum = 0
  for (let t = 1; t < n; t++) dwNum += (residuals[t]! - residuals[t - 1]!) ** 2
  return {
    coefficients: b,
    standardErrors: se,
    tStatistics: Float64Array.from({ length: k }, (_, i) => b[i]! / se[i]!),
    residuals,
    fitted,
    rSquared: 1 - ssr / sst,
    adjustedRSquared: 1 - (ssr / dof) / (sst / (n - (centred ? 1 : 0))),
    ser: Math.sqrt(s2),
    ssr,
    durbinWatson: dwNum / ssr,
    dof,
    observations: n,
  }
}
