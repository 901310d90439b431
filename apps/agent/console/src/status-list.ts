/** Read one index of a published Token Status List (JWT, zlib-compressed bits) in the browser. */

import { b64urlBytes, b64urlJson } from './decode.js'
import { h } from './dom.js'

const NAMES: Record<number, string> = { 0: 'valid', 1: 'invalid (revoked)', 2: 'suspended' }

export async function publishedStatus(listId: string, idx: number): Promise<HTMLElement> {
  const r = await fetch(`/status/${encodeURIComponent(listId)}`, { headers: { accept: 'application/statuslist+jwt' } })
  const text = (await r.text()).trim()
  const parts = text.split('.')
  if (parts.length !== 3)
    return h('p', null, `The list is published as ${r.headers.get('content-type') ?? 'unknown'}; open /status/${listId}`)
  const payload = b64urlJson(parts[1] as string) as { status_list?: { bits: number; lst: string }; iat?: number; ttl?: number }
  const sl = payload.status_list
  if (!sl) return h('p', null, 'No status_list in the token')
  const inflated = new Uint8Array(
    await new Response(new Blob([b64urlBytes(sl.lst)]).stream().pipeThrough(new DecompressionStream('deflate'))).arrayBuffer(),
  )
  const perByte = 8 / sl.bits
  const byte = inflated[Math.floor(idx / perByte)] ?? 0
  const value = (byte >> ((idx % perByte) * sl.bits)) & ((1 << sl.bits) - 1)
  return h(
    'p',
    { class: 'status-read', 'data-testid': 'published-status' },
    `Published list ${listId}, signed ${payload.iat ? new Date(payload.iat * 1000).toLocaleString() : '?'}: index ${idx} = ${value} (${NAMES[value] ?? 'application-specific'})`,
  )
}
