import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { signCompactJws } from '@bonafide/jose'
import { createLocalSigner, generateKeyObject, type Signer } from '@bonafide/keys'
import { PROOF_TYP } from '@bonafide/openid4vci'

const BIN = fileURLToPath(new URL('../bin/bonafide.js', import.meta.url))
export const ADMIN = `bfk_inst_${'q'.repeat(40)}`
export const PRE_AUTH = 'urn:ietf:params:oauth:grant-type:pre-authorized_code'

export async function freePort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  const port = (s.address() as { port: number }).port
  await new Promise((r) => s.close(r))
  return port
}

export interface Instance {
  readonly child: ChildProcess
  /** Where this process listens (the public URL may name another instance: a load balancer's address). */
  readonly origin: string
  output(): string
  /** Exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>
}

/** `bonafide serve` as its own process on a loopback port; resolves once it printed its URL. */
export async function startInstance(port: number, env: Record<string, string>): Promise<Instance> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port)], {
    env: { ...process.env, BONAFIDE_LOG: 'silent', BONAFIDE_ADMIN_KEY: ADMIN, BONAFIDE_RATE_LIMIT: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout?.on('data', (d) => {
    out += d
  })
  child.stderr?.on('data', (d) => {
    out += d
  })
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  await new Promise<void>((resolve, reject) => {
    const t = setInterval(() => {
      if (out.includes('listening on')) {
        clearInterval(t)
        resolve()
      }
    }, 25)
    void exited.then((code) => {
      clearInterval(t)
      reject(new Error(`the agent exited (${code}): ${out}`))
    })
  })
  return { child, origin: `http://127.0.0.1:${port}`, output: () => out, exited }
}

export async function api(origin: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const r = await fetch(`${origin}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await r.text()
  return { status: r.status, json: text ? JSON.parse(text) : undefined }
}

export function preAuthCode(offer: string): string {
  const o = JSON.parse(
    new URL(offer.replace('openid-credential-offer://', 'https://x/')).searchParams.get('credential_offer') ?? '{}',
  )
  return o.grants[PRE_AUTH]['pre-authorized_code']
}

export const form = (o: Record<string, string>): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(o),
})

const holders: Signer[] = Array.from({ length: 10 }, (_, i) =>
  createLocalSigner(generateKeyObject('ES256'), { store: 'h', id: String(i) }, 'ES256'),
)

/**
 * One pre-authorized issuance of a batch of 10, each step at another instance: token at `at[0]`, nonce at
 * `at[1]`, credential at `at[2]` (the state of every step lives in the shared database). Returns the credentials.
 */
export async function issueAcross(issuer: string, at: readonly string[], offer: string): Promise<string[]> {
  const tok = await fetch(`${at[0]}/token`, form({ grant_type: PRE_AUTH, 'pre-authorized_code': preAuthCode(offer) }))
  const token = (await tok.json()) as { access_token?: string }
  if (!token.access_token) throw new Error(`token: ${tok.status}`)
  const nonce = ((await (await fetch(`${at[1]}/nonce`, { method: 'POST' })).json()) as { c_nonce: string }).c_nonce
  const iat = Math.floor(Date.now() / 1000)
  const proofs = await Promise.all(
    holders.map((s) => signCompactJws({ typ: PROOF_TYP, jwk: { ...s.publicJwk } }, { aud: issuer, iat, nonce }, s)),
  )
  const r = await fetch(`${at[2]}/credential`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token.access_token}` },
    body: JSON.stringify({ credential_configuration_id: 'pid_sd_jwt', proofs: { jwt: proofs } }),
  })
  const body = (await r.json()) as { credentials?: { credential: string }[] }
  if (body.credentials?.length !== 10) throw new Error(`credential: ${r.status} ${JSON.stringify(body).slice(0, 200)}`)
  return body.credentials.map((c) => c.credential)
}

/** Run `f` over `items` with at most `n` at a time. */
export async function pool<T, R>(items: readonly T[], n: number, f: (t: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length)
  let next = 0
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++
        out[i] = await f(items[i] as T, i)
      }
    }),
  )
  return out
}
