// Writes the JSON Schemas of the model, scenario and event files (generated from the zod
// schemas by engine/schema/validate.ts) to scenarios/schema/, for editors: `npm run schema`. Run it
// after changing a schema; test/engine/schema/validate.test.ts fails while the committed files differ. Shell.
import { mkdir, writeFile } from "node:fs/promises"
import { fileURLToPath } from "node:url"
import { jsonSchemaFiles } from "../../engine/index.ts"

const dir = fileURLToPath(new URL("../../scenarios/schema/", import.meta.url))
await mkdir(dir, { recursive: true })
for (const [name, text] of Object.entries(jsonSchemaFiles())) {
  await writeFile(dir + name, text)
  process.stdout.write(`wrote scenarios/schema/${name}\n`)
}
