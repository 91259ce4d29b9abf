// The options of `plancast batch` shared by the local batch (batch.ts) and the batch over NATS
// (worker.ts), so both read the plan and the output the same way. Shell data only.
import type { CommandSpec } from "../args.ts"

/** The options of `plancast batch`, local or over NATS (which adds its own). */
export const batchOptions = {
  grid: { kind: "string", repeat: true },
  draws: { kind: "draws" },
  seed: { kind: "seed" },
  format: { kind: "choice", values: ["csv", "ndjson"] },
  workers: { kind: "string" },
  out: { kind: "string" },
} as const satisfies CommandSpec["options"]
