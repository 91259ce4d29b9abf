// The benchmarks' numeric options: `--name N` on the command line, or a default. Shell.

/** The number after `--name` in the process's arguments, or `fallback` when it is absent. */
export const numberArg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? Number(process.argv[i + 1]) : fallback
}
