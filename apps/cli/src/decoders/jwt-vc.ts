import { isJsonObject } from '@bonafide/core'
import { decodeJwsUnverified } from '@bonafide/jose'
import { decodeJwtVc } from '@bonafide/jwt-vc'
import type { Decoder } from './types.js'

const ENVELOPE = 'data:application/vc+jwt,'

function kindOf(input: string): 'vc' | 'vp' | undefined {
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(input)) return undefined
  try {
    const { header, payload } = decodeJwsUnverified(input)
    const typ = String(header.typ ?? '').toLowerCase()
    if (typ.endsWith('vp+jwt') || isJsonObject(payload.vp)) return 'vp'
    if (typ.endsWith('vc+jwt') || isJsonObject(payload.vc)) return 'vc'
  } catch {
    // not a JWT: another decoder's input
  }
  return undefined
}

function credentialLines(jwt: string, indent = ''): string[] {
  const d = decodeJwtVc(jwt, { maxLength: 1 << 20 })
  const lines = [
    `W3C Verifiable Credential (VCDM ${d.version}, ${d.version === '2.0' ? 'vc+jwt' : 'JWT vc claim'}, not verified)`,
    `header: ${JSON.stringify(d.header)}`,
    `issuer: ${d.issuer}`,
    `types: ${d.types.join(', ')}`,
    ...(d.holderKey ? [`holder key (cnf.jwk): ${JSON.stringify(d.holderKey)}`] : []),
    'credential (registered claims mapped back):',
    JSON.stringify(d.credential, null, 2),
  ]
  return lines.flatMap((l) => l.split('\n')).map((l) => indent + l)
}

function presentationJwts(payload: Record<string, unknown>): string[] {
  const vp = isJsonObject(payload.vp) ? payload.vp : payload
  const list = Array.isArray(vp.verifiableCredential) ? vp.verifiableCredential : [vp.verifiableCredential]
  return list.flatMap((c) =>
    typeof c === 'string'
      ? [c]
      : isJsonObject(c) && typeof c.id === 'string' && c.id.startsWith(ENVELOPE)
        ? [c.id.slice(ENVELOPE.length)]
        : [],
  )
}

/** W3C VCs and VPs as JWT (VCDM 1.1 `vc`/`vp` claims, VCDM 2.0 vc+jwt / vp+jwt), with each presented credential decoded. */
export const jwtVcDecoder: Decoder = {
  name: 'jwt-vc',
  decode(input) {
    const kind = kindOf(input)
    if (!kind) return undefined
    if (kind === 'vc') return credentialLines(input).join('\n')
    const { header, payload } = decodeJwsUnverified(input)
    const jwts = presentationJwts(payload)
    const { vp: _vp, ...claims } = payload
    const lines = [
      `W3C Verifiable Presentation (${String(header.typ ?? 'JWT')}, not verified)`,
      `header: ${JSON.stringify(header)}`,
      'claims:',
      JSON.stringify(isJsonObject(payload.vp) ? claims : { ...claims, verifiableCredential: `(${jwts.length})` }, null, 2),
    ]
    for (const [i, jwt] of jwts.entries()) lines.push(`credential ${i + 1}:`, ...credentialLines(jwt, '  '))
    return lines.join('\n')
  },
}
