import { Buffer } from 'node:buffer'
import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * Standard Webhooks signatures (standardwebhooks.com): `webhook-signature: v1,<base64(HMAC-SHA256(secret,
 * "<webhook-id>.<webhook-timestamp>.<body>"))>`; the secret is `whsec_<base64 key>`.
 */
export function secretBytes(secret: string): Buffer {
  if (!/^whsec_[A-Za-z0-9+/]{20,200}={0,2}$/.test(secret)) throw new Error('a webhook secret is whsec_<base64>')
  return Buffer.from(secret.slice('whsec_'.length), 'base64')
}

export function signWebhook(secret: string | Buffer, id: string, timestamp: number, body: string): string {
  const key = typeof secret === 'string' ? secretBytes(secret) : secret
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`
}

/**
 * A receiver's check: one of the `v1,` signatures matches (constant time) and the timestamp is within
 * `toleranceSeconds` (default 300) of now.
 */
export function verifyWebhookSignature(o: {
  secret: string
  headers: Readonly<Record<string, string | undefined>> | Headers
  body: string
  toleranceSeconds?: number
  nowSeconds?: number
}): boolean {
  const get = (n: string) => (o.headers instanceof Headers ? o.headers.get(n) : o.headers[n]) ?? undefined
  const id = get('webhook-id')
  const ts = get('webhook-timestamp')
  const sigs = get('webhook-signature')
  if (!id || !ts || !sigs || !/^\d{1,12}$/.test(ts)) return false
  const now = o.nowSeconds ?? Math.floor(Date.now() / 1000)
  if (Math.abs(now - Number(ts)) > (o.toleranceSeconds ?? 300)) return false
  let expected: Buffer
  try {
    expected = Buffer.from(signWebhook(o.secret, id, Number(ts), o.body))
  } catch {
    return false
  }
  return sigs.split(' ').some((s) => {
    const b = Buffer.from(s)
    return b.length === expected.length && timingSafeEqual(b, expected)
  })
}
