#!/usr/bin/env node
// Entry of the `plancast` command: loads the TypeScript CLI through tsx.
import { register } from "tsx/esm/api"
register()
await import("./main.ts")
