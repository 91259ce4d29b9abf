#!/usr/bin/env -S node --max-semi-space-size=4
// Entry of the `plancast` command. It runs the bundle in dist/cli/ while the bundle is fresh
// (bundle.mjs: built by `npm run build` and at install; a few plain JavaScript files, the
// fast start), else the TypeScript sources as they are (Node >= 22.18 strips their types;
// tsconfig's erasableSyntaxOnly keeps them runnable so). PLANCAST_SOURCES=1 runs the sources
// regardless. The smaller young generation keeps a million-draw projection well inside
// 200 MB at little cost in time.
const [major, minor] = process.versions.node.split(".").map(Number)
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `plancast needs Node 22.18 or later (this is ${process.version}): run it as \`npx plancast\`, ` +
      "which uses the Node 24 the project installs (npm install)\n",
  )
  process.exit(1)
}
// V8 frees each finished Maglev (mid-tier) compilation job on a background thread by default;
// with the hundreds of generated group functions of a large model those jobs pile up faster
// than they are freed (about 3 MB each: 1.7 GB at 5,000 equations, bench/README.md). Freed on
// the main thread as each job is installed, the compilers' peak stays in tens of MB.
;(await import("node:v8")).setFlagsFromString("--no-maglev-destroy-on-background")
const { freshBundle } = await import("./bundle.mjs")
const bundle = process.env.PLANCAST_SOURCES === "1" ? undefined : freshBundle()
// V8's code for the bundle, kept between runs (Node's compile cache in the temporary directory;
// NODE_DISABLE_COMPILE_CACHE=1 turns it off): later starts skip compiling the chunks
if (bundle) (await import("node:module")).enableCompileCache?.()
const { runProcess } = await import(bundle ?? "./main.ts")
// a reader that stops early (`plancast ... | head`) is not a failure
process.stdout.on("error", (e) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0)
  throw e
})
// NodeRuntime.runMain: SIGINT/SIGTERM interrupt the command; the exit status is the run's result
runProcess(process.argv.slice(2))
