// The one rule for showing a server address: credentials written into a URL
// (`nats://user:password@host:port`, `nats://token@host:port`) never reach a message, a log
// line or an error; the password or token is replaced by `***`, the user name kept
// (`nats://user:***@host:port`, `nats://***@host:port`). Every text that may hold a URL passes
// through `redactUrls` before it is shown. Pure.

/** What stands in for a secret. */
export const REDACTED = "***"

// scheme://userinfo@: the userinfo runs to the last "@" before the host (as WHATWG URLs read
// it, so an unescaped "@" in a password is hidden too); it holds no "/", white space or quote
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/"'<>]*)@/gi

/** The text with the password or token of every `scheme://userinfo@` in it replaced by `***`. */
export const redactUrls = (text: string): string =>
  text.replace(USERINFO, (_all, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(":")
    return colon < 0 ? `${scheme}${REDACTED}@` : `${scheme}${userinfo.slice(0, colon)}:${REDACTED}@`
  })
