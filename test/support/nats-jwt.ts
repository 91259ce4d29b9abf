// Test support: decentralised NATS authentication (operator, accounts, users as signed JWTs)
// for a private nats-server, and the `.creds` file of a user, so the creds-file path of the
// NATS adapter is exercised against a real broker. JWTs are built here as nsc would build
// them (header `ed25519-nkey`, claims signed by the issuer's nkey); the server preloads the
// accounts (resolver MEMORY). Shell (random keys); nothing here is a real credential.
import { createHash } from "node:crypto"
import { nkeys } from "@nats-io/transport-node"

const b64 = (b: Uint8Array | string): string => Buffer.from(b).toString("base64url")

const sign = (claims: Record<string, unknown>, issuer: nkeys.KeyPair): string => {
  const body = { ...claims, iat: Math.floor(Date.now() / 1000), iss: issuer.getPublicKey() }
  const jti = createHash("sha256").update(JSON.stringify(body)).digest("base64url")
  const head = b64(JSON.stringify({ typ: "JWT", alg: "ed25519-nkey" }))
  const payload = b64(JSON.stringify({ jti, ...body }))
  return `${head}.${payload}.${b64(issuer.sign(new TextEncoder().encode(`${head}.${payload}`)))}`
}

const unlimited = { subs: -1, data: -1, payload: -1, imports: -1, exports: -1, wildcards: true, conn: -1, leaf: -1 }

/** The text of a `.creds` file: a user JWT and its nkey seed. */
export const credsText = (jwt: string, seed: string): string =>
  `-----BEGIN NATS USER JWT-----\n${jwt}\n------END NATS USER JWT------\n\n` +
  `************************* IMPORTANT *************************\nNKEY Seed printed below can be used to sign and prove identity.\n\n` +
  `-----BEGIN USER NKEY SEED-----\n${seed}\n------END USER NKEY SEED------\n`

/** An operator with a system account and one application account (JetStream enabled), and a way to make its users. */
export const operatorSetup = () => {
  const operator = nkeys.createOperator()
  const system = nkeys.createAccount()
  const account = nkeys.createAccount()
  const operatorJwt = sign({ sub: operator.getPublicKey(), name: "test-operator", nats: { type: "operator", version: 2, system_account: system.getPublicKey() } }, operator)
  const systemJwt = sign({ sub: system.getPublicKey(), name: "SYS", nats: { type: "account", version: 2, limits: unlimited } }, operator)
  const accountJwt = sign(
    { sub: account.getPublicKey(), name: "plancast", nats: { type: "account", version: 2, limits: { ...unlimited, mem_storage: -1, disk_storage: -1, streams: -1, consumer: -1 } } },
    operator,
  )
  return {
    /** Lines of server configuration trusting the operator and preloading both accounts. */
    config: [
      `operator: ${operatorJwt}`,
      `system_account: ${system.getPublicKey()}`,
      "resolver: MEMORY",
      `resolver_preload: {\n  ${system.getPublicKey()}: ${systemJwt}\n  ${account.getPublicKey()}: ${accountJwt}\n}`,
    ].join("\n"),
    /** The `.creds` text of a new user of the application account (signed by another account when `foreign`, so the server refuses it). */
    userCreds: (name: string, foreign = false): { text: string; seed: string } => {
      const user = nkeys.createUser()
      const issuer = foreign ? nkeys.createAccount() : account
      const jwt = sign({ sub: user.getPublicKey(), name, nats: { type: "user", version: 2, pub: {}, sub: {}, subs: -1, data: -1, payload: -1 } }, issuer)
      const seed = new TextDecoder().decode(user.getSeed())
      return { text: credsText(jwt, seed), seed }
    },
  }
}
