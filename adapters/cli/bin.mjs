#!/usr/bin/env -S node --max-semi-space-size=4
// Entry of the `plancast` command. Node (>= 22.18) runs the TypeScript sources as they are
// (type stripping; tsconfig's erasableSyntaxOnly keeps them runnable so). The smaller young
// generation keeps a million-draw projection well inside 200 MB at little cost in time.
const [major, minor] = process.versions.node.split(".").map(Number)
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `plancast needs Node 22.18 or later (this is ${process.version}): run it as \`npx plancast\`, ` +
      "which uses the Node 24 the project installs (npm install)\n",
  )
  process.exit(1)
}
const { main } = await import("./main.ts")
// a reader that stops early (`plancast ... | head`) is not a failure
process.stdout.on("error", (e) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0)
  throw e
})
process.exitCode = await main(process.argv.slice(2))
