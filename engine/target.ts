// The target rule: whether a plan indicator's annual growth meets its target (`atLeast`,
// `atMost`, `around` with its band), and the annual growth a target asks for. One place, read
// by the projection, seek, the CLI and the report. Pure.
import type { Target } from "./schema/model.ts"

/**
 * The annual growth a target asks for: `atLeast` and `atMost` their value; `around` its value
 * itself (the centre of the band, not an edge), so the required growth aims at the target
 * as the plan states it.
 */
export const targetBoundary = (target: Target): number => target.value

/** Whether an annual growth meets a target: atLeast >=, atMost <=, around within value ± band (inclusive). */
export const meetsTarget = (target: Target, annual: number): boolean => {
  switch (target.kind) {
    case "atLeast":
      return annual >= target.value
    case "atMost":
      return annual <= target.value
    case "around":
      return annual >= target.value - target.band && annual <= target.value + target.band
  }
}
