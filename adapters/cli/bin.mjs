#!/usr/bin/env -S node --max-semi-space-size=4
// Entry of the `plancast` command. Node (>= 22.18) runs the TypeScript sources as they are
// (type stripping; tsconfig's erasableSyntaxOnly keeps them runnable so). The smaller young
// generation keeps a million-draw projection well inside 200 MB at little cost in time.
await import("./main.ts")
