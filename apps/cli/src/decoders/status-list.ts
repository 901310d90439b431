import { decodeJwsUnverified } from '@bonafide/jose'
import { decodeStatusInput } from '../commands/status.js'
import type { Decoder } from './types.js'

/** Status List Tokens (JWT, CWT hex/base64url starting with tag 18) and Bitstring Status List credentials. */
export const statusListDecoder: Decoder = {
  name: 'status-list',
  decode(input) {
    let mine = false
    if (/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(input)) {
      try {
        const { header, payload } = decodeJwsUnverified(input)
        const vc = (payload.vc ?? payload) as { type?: unknown }
        mine =
          header.typ === 'statuslist+jwt' ||
          (Array.isArray(vc.type) &&
            vc.type.some((t) => String(t).endsWith('StatusListCredential') || t === 'StatusList2021Credential'))
      } catch {
        return undefined
      }
    } else mine = /^d284/i.test(input)
    if (!mine) return undefined
    const d = decodeStatusInput(input)
    const counts = [...d.counts().entries()].sort((a, b) => a[0] - b[0]).map(([k, v]) => `status ${k}: ${v}`)
    return [`${d.format} (not verified)`, JSON.stringify(d.meta, null, 2), `bits ${d.bits}, ${d.size} entries`, ...counts].join(
      '\n',
    )
  },
}
