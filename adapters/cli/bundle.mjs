// The command line's bundle: every module the CLI imports (its TypeScript sources and the
// libraries under node_modules) built into a few plain JavaScript files in dist/cli/, one chunk
// per command loaded on demand, so a command starts without resolving a thousand files or
// stripping types (`npm run build`; `npm install` builds it through `prepare`). bin.mjs runs
// the bundle only while it is fresh: the manifest written last records the size and
// modification time of every input (each source file, each bundled package's package.json,
// this file); any difference and bin.mjs runs the sources instead, so an edited source is never
// shadowed by an old bundle. The worker threads' entries (THREADS) are bundled beside it, and
// a source's `new URL("./<thread>.ts", import.meta.url)` names the thread's bundled entry, so a
// thread starts as fast as the command; every other `import.meta.url` of a source is rewritten
// to its own file's URL, so files found next to a source (package.json, scenarios/,
// asyncapi.yaml) are found from the bundle too. Plain JavaScript, since the start-up path cannot afford
// Node's type stripping; the bundler is imported only to build. Shell.
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs"
import { join, relative, sep } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

const ROOT = fileURLToPath(new URL("../../", import.meta.url))
/** Where bin.mjs looks for the bundle: every chunk side by side, and the manifest. */
export const BUNDLE_DIR = join(ROOT, "dist", "cli")
const MANIFEST = "inputs.json"
const ENTRY = "main.mjs"
/** The worker threads' entries, bundled as `<name>.mjs` beside main.mjs. */
const THREADS = ["adapters/batch/compute-thread.ts"]
const threadName = (file) => file.split("/").pop().replace(/\.ts$/, "")
const CHUNK_URL = "__plancast_chunk_url__"

/**
 * The URL of the entry of the bundle in `dir` (it exports `main` and `runProcess`, as adapters/cli/main.ts
 * does) when the bundle exists and none of its inputs changed since it was built; else undefined.
 */
export const freshBundle = (dir = BUNDLE_DIR) => {
  let manifest
  try {
    manifest = JSON.parse(readFileSync(join(dir, MANIFEST), "utf8"))
  } catch {
    return undefined
  }
  for (const [file, size, mtimeMs] of manifest.inputs) {
    let s
    try {
      s = statSync(join(ROOT, file))
    } catch {
      return undefined
    }
    if (s.size !== size || s.mtimeMs !== mtimeMs) return undefined
  }
  return pathToFileURL(join(dir, manifest.entry)).href
}

const inNodeModules = (id) => id.split(sep).includes("node_modules")

/** The package.json of the package a module under node_modules belongs to. */
const packageJsonOf = (id) => {
  const parts = id.split(sep)
  const at = parts.lastIndexOf("node_modules")
  const name = parts[at + 1].startsWith("@") ? 2 : 1
  return parts.slice(0, at + 1 + name).concat("package.json").join(sep)
}

/**
 * Rewrites, in the project's own modules, the URL of a thread's source to its bundled entry
 * (beside the chunk), and every other `import.meta.url` to the URL of the source file, seen from `dir`.
 */
const sourceUrls = (dir) => ({
  name: "plancast-source-urls",
  transform(code, id) {
    if (inNodeModules(id) || !code.includes("import.meta.url")) return null
    let out = code
    for (const thread of THREADS) {
      const source = join(ROOT, thread)
      if (relative(join(id, ".."), source) !== source.split(sep).pop()) continue
      out = out.replaceAll(`new URL("./${source.split(sep).pop()}", import.meta.url)`, `new URL("./${threadName(thread)}.mjs", ${CHUNK_URL})`)
    }
    const path = relative(dir, id).split(sep).join("/")
    out = out.replaceAll("import.meta.url", `new URL(${JSON.stringify(path)}, import.meta.url).href`).replaceAll(CHUNK_URL, "import.meta.url")
    return { code: out, map: null }
  },
})

/** Builds the bundle of adapters/cli/main.ts and the THREADS into `dir` (emptied first); returns the number of chunks and of inputs. */
export const build = async (dir = BUNDLE_DIR) => {
  const { rolldown } = await import("rolldown")
  const manifest = join(dir, MANIFEST)
  rmSync(manifest, { force: true })
  const bundle = await rolldown({
    input: { main: join(ROOT, "adapters", "cli", "main.ts"), ...Object.fromEntries(THREADS.map((t) => [threadName(t), join(ROOT, t)])) },
    platform: "node",
    tsconfig: join(ROOT, "tsconfig.json"),
    plugins: [sourceUrls(dir)],
  })
  rmSync(dir, { recursive: true, force: true })
  const { output } = await bundle.write({
    dir,
    format: "esm",
    entryFileNames: "[name].mjs",
    chunkFileNames: "[name]-[hash].mjs",
  })
  await bundle.close()
  const files = new Set([fileURLToPath(import.meta.url)])
  for (const chunk of output) {
    if (chunk.type !== "chunk") continue
    for (const id of chunk.moduleIds) {
      if (id.startsWith("\0")) continue
      files.add(inNodeModules(id) ? packageJsonOf(id) : id)
    }
  }
  const inputs = [...files].sort().map((file) => {
    const s = statSync(file)
    return [relative(ROOT, file), s.size, s.mtimeMs]
  })
  mkdirSync(dir, { recursive: true })
  writeFileSync(`${manifest}.tmp`, JSON.stringify({ entry: ENTRY, inputs }) + "\n")
  renameSync(`${manifest}.tmp`, manifest)
  return { chunks: output.filter((c) => c.type === "chunk").length, inputs: inputs.length }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  let rolldownPresent = true
  try {
    import.meta.resolve("rolldown")
  } catch {
    rolldownPresent = false
  }
  if (!rolldownPresent && process.env.npm_lifecycle_event === "prepare") {
    // an install without the dev dependencies: the CLI runs from its sources
    process.stderr.write("plancast: no bundler installed (dev dependencies omitted); the CLI runs from its sources\n")
  } else if (process.env.npm_lifecycle_event === "prepare") {
    // at install a failed build must not fail the install: the CLI then runs from its sources
    // (bin.mjs runs a bundle only while its manifest matches); `npm run build` shows the error
    try {
      const { chunks, inputs } = await build()
      process.stdout.write(`dist/cli: ${chunks} chunks from ${inputs} inputs\n`)
    } catch (e) {
      process.stderr.write(`plancast: the command line's bundle was not built (${e instanceof Error ? e.message.split("\n")[0] : String(e)}); the CLI runs from its sources. Run npm run build to see why.\n`)
    }
  } else {
    const { chunks, inputs } = await build()
    process.stdout.write(`dist/cli: ${chunks} chunks from ${inputs} inputs\n`)
  }
}
