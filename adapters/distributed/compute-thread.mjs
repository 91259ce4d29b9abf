// Entry of a compute thread: loads the TypeScript thread body through tsx (a thread does not
// inherit the main thread's loader). Shell.
import { register } from "tsx/esm/api"
register()
await import("./compute-thread.ts")
