// Browser-test support: launches Debian's Chromium through playwright-core with the flags the
// CI uses, or tells the suite to skip (only outside CI, and only when /usr/bin/chromium is
// missing). In CI a missing browser fails the suite instead of skipping it.
import { existsSync } from "node:fs"
import { chromium, type Browser } from "playwright-core"

/** Where Debian installs Chromium (`apt-get install chromium`). */
export const CHROMIUM = "/usr/bin/chromium"

/** Why the browser suites skip, or undefined when they run. */
export const skipReason: string | undefined =
  !existsSync(CHROMIUM) && !process.env.CI
    ? `browser tests skipped: ${CHROMIUM} is missing (install it with "apt-get install chromium"; in CI these tests must run)`
    : undefined

if (skipReason) console.warn(skipReason)

/** Launches headless Chromium, isolated from the network services it would otherwise call. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  })
}
