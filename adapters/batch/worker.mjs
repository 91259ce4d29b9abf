// Entry of a batch worker thread: loads the TypeScript worker through tsx (the thread does not
// inherit the main thread's loader). Shell.
import { register } from "tsx/esm/api"
register()
await import("./worker.ts")
