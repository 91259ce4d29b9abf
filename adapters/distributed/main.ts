// Entry of the distributed commands while the `plancast` dispatcher does not know them:
// `tsx adapters/distributed/main.ts worker --nats URL ...` and `tsx adapters/distributed/main.ts
// batch <scenario>... --nats URL ...`. Failures print as the CLI prints them (exit 2 for
// invalid input, 1 otherwise). Shell.
import { describeFailure } from "../cli/failure.ts"
import { distributedBatchCommand, workerCommand } from "./commands.ts"

const [command, ...rest] = process.argv.slice(2)
const run = command === "worker" ? workerCommand : command === "batch" ? distributedBatchCommand : undefined
if (!run) {
  process.stderr.write("usage: main.ts (worker | batch) ...\n")
  process.exitCode = 2
} else {
  try {
    process.exitCode = await run(rest)
  } catch (e) {
    const { lines, status } = describeFailure(command!, e)
    process.stderr.write(lines.join("\n") + "\n")
    process.exitCode = status
  }
}
