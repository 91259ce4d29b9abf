// The benchmarks' numeric options: `--name N` on the command line, or a default. A value out of
// its range (a whole number at least `min`, unless `whole` is false) stops the benchmark before
// it starts, with status 2. Shell.

/** The number after `--name` in the process's arguments, or `fallback` when it is absent. */
export const numberArg = (name: string, fallback: number, { min = 1, whole = true }: { min?: number; whole?: boolean } = {}): number => {
  const i = process.argv.indexOf(`--${name}`)
  if (i < 0) return fallback
  const raw = process.argv[i + 1]
  const n = Number(raw)
  if (!(whole ? Number.isInteger(n) : Number.isFinite(n)) || n < min) {
    process.stderr.write(`bench: --${name} must be a ${whole ? "whole number" : "number"} >= ${min}, got ${JSON.stringify(raw ?? "")}\n`)
    process.exit(2)
  }
  return n
}
