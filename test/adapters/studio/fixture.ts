// A private copy of the Duji scenarios for studio tests: the model, the baseline and two
// scenarios (one with measures), in a temp folder the test may save into. Removed by `remove`.
import { copyFileSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

const source = new URL("../../../scenarios/duji-2024/", import.meta.url)

/** Copies the files into a new temp folder and returns it with its remover. */
export function studioFolder(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "plancast-studio-"))
  for (const f of ["model.yaml", "baseline.yaml", "fai-slump.yaml", "consumption-push.yaml"]) copyFileSync(new URL(f, source), join(dir, f))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}
