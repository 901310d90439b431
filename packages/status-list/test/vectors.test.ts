import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { b64uEncode, hexDecode, hexEncode } from '@bonafide/core'
import { type CborValue, decodeCbor, decodeCoseSign1, encodeCbor, HEADER } from '@bonafide/cose'
import { decodeJwsUnverified } from '@bonafide/jose'
import { vectorsDir, vectorsPath } from '@bonafide/testing'
import { describe, expect, it } from 'vitest'
import { type Bits, CWT, parseStatusListCbor, parseStatusListJson, StatusList, verifyStatusListCwt } from '../src/index.js'

const dir = vectorsPath('status-list')
const read = (f: string) => readFileSync(join(dir as string, f), 'utf8')
/** The hex after "encoded:" (or the whole file), whitespace removed. */
const hexOf = (f: string) => (read(f).split('encoded:').pop() as string).replace(/\s+/g, '')
const jsonOf = (f: string) =>
  JSON.parse(
    (read(f).split('encoded:').pop() as string)
      .replace(/\n\s{2,}(?=[A-Za-z0-9_-])/g, '')
      .replace(/"lst": "([^"]*)"/, (_m, l: string) => `"lst": "${l.replace(/\s+/g, '')}"`),
  )

/** §4.1 examples and the Appendix test vectors: statuses as the draft states them. */
function draftStatuses(): Map<string, Map<number, number>> {
  const v = vectorsDir()
  const spec = v ? join(v, '..', 'specs', 'draft-ietf-oauth-status-list-20.md') : ''
  const out = new Map<string, Map<number, number>>()
  if (!existsSync(spec)) return out
  const text = readFileSync(spec, 'utf8')
  const section = text.slice(text.indexOf('# Test vectors for Status List encoding'))
  for (const [name, bits] of [
    ['## 1-bit', 1],
    ['## 2-bit', 2],
    ['## 4-bit', 4],
    ['## 8-bit', 8],
  ] as const) {
    const start = section.indexOf(name)
    const body = section.slice(start, section.indexOf('JSON encoding', start))
    const m = new Map<number, number>()
    for (const x of body.matchAll(/status\[(\d+)\]\s*=\s*0b([01]+)/g)) m.set(Number(x[1]), Number.parseInt(x[2] as string, 2))
    out.set(String(bits), m)
  }
  return out
}

const SIZE = 2 ** 20
const files: Record<string, { json: string; cbor: string }> = {
  '1': { json: 'status_list_encoding1_long_json.md', cbor: 'status_list_encoding1_long_cbor.md' },
  '2': { json: 'status_list_encoding2_long_json.md', cbor: 'status_list_encoding2_long_cbor.md' },
  '4': { json: 'status_list_encoding4_json.md', cbor: 'status_list_encoding4_cbor.md' },
  '8': { json: 'status_list_encoding8_json.md', cbor: 'status_list_encoding8_cbor.md' },
}

describe.skipIf(!dir)('draft-ietf-oauth-status-list-20 vectors', () => {
  it('§4.1 1-bit example: 0xB9 0xA3, compressed 78dadbb918000217015d (JSON and CBOR)', () => {
    const l = StatusList.create(16, 1)
    ;[1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1].forEach((v, i) => {
      l.set(i, v)
    })
    expect(hexEncode(l.bytes)).toBe('b9a3')
    expect(hexEncode(l.compress())).toBe('78dadbb918000217015d')
    expect(jsonOf('status_list_encoding_json.md')).toEqual({ bits: 1, lst: b64uEncode(l.compress()) })
    expect(hexEncode(encodeCbor({ bits: 1, lst: l.compress() }))).toBe(hexOf('status_list_encoding_cbor.md'))
  })
  it('§4.1 2-bit example: 0xC9 0x44 0xF9', () => {
    const l = StatusList.create(12, 2)
    ;[1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3].forEach((v, i) => {
      l.set(i, v)
    })
    expect(hexEncode(l.bytes)).toBe('c944f9')
    expect(jsonOf('status_list_encoding2_json.md').lst).toBe(b64uEncode(l.compress()))
    expect(hexEncode(encodeCbor({ bits: 2, lst: l.compress() }))).toBe(hexOf('status_list_encoding2_cbor.md'))
    const decoded = parseStatusListCbor(decodeCbor(hexDecode(hexOf('status_list_encoding2_cbor.md')))).list
    expect([...Array(12).keys()].map((i) => decoded.get(i))).toEqual([1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3])
  })

  const statuses = draftStatuses()
  it.each(Object.keys(files))('Appendix %s-bit list: decodes to the stated statuses and re-encodes byte-identically', (bits) => {
    const stated = statuses.get(bits)
    expect(stated?.size).toBeGreaterThan(5)
    const fromJson = parseStatusListJson(jsonOf(files[bits]!.json)).list
    const fromCbor = parseStatusListCbor(decodeCbor(hexDecode(hexOf(files[bits]!.cbor)))).list
    for (const l of [fromJson, fromCbor]) {
      expect(l.size).toBe(SIZE)
      for (const [i, v] of stated!) expect(l.get(i)).toBe(v)
      const counts = l.counts()
      const nonZero = [...stated!.values()].filter((v) => v !== 0).length
      expect(SIZE - (counts.get(0) ?? 0)).toBe(nonZero)
    }
    const ours = StatusList.create(SIZE, Number(bits) as Bits)
    for (const [i, v] of stated!) ours.set(i, v)
    expect(jsonOf(files[bits]!.json)).toEqual({ bits: Number(bits), lst: b64uEncode(ours.compress({ reference: true })) })
    expect(hexEncode(encodeCbor({ bits: Number(bits), lst: ours.compress({ reference: true }) }))).toBe(hexOf(files[bits]!.cbor))
    // the native (default) compressor: a different stream, within a few bytes, same statuses after a round trip
    const native = ours.compress()
    expect(Math.abs(native.byteLength - ours.compress({ reference: true }).byteLength)).toBeLessThan(native.byteLength / 50 + 8)
    const back = StatusList.decompress(native, Number(bits) as Bits)
    for (const [i, v] of stated!) expect(back.get(i)).toBe(v)
  })

  it('§5.1 Status List Token JWT example decodes', () => {
    const jwt = read('status_list_jwt_raw.md').replace(/\s+/g, '')
    const { header, payload } = decodeJwsUnverified(jwt)
    expect(header.typ).toBe('statuslist+jwt')
    const l = parseStatusListJson(payload.status_list).list
    expect(hexEncode(l.bytes)).toBe('b9a3')
  })
  it('§5.2 Status List Token CWT example decodes, and its claims re-encode byte-identically', () => {
    const bytes = hexDecode(hexOf('status_list_cwt.md'))
    const s = decodeCoseSign1(bytes, { requireTag: true })
    expect(s.protectedHeader.get(HEADER.typ)).toBe('application/statuslist+cwt')
    const claims = decodeCbor(s.payload as Uint8Array) as Map<CborValue, CborValue>
    expect(claims.get(CWT.sub)).toBe('https://example.com/statuslists/1')
    expect(hexEncode(encodeCbor(claims))).toBe(hexEncode(s.payload as Uint8Array))
    const v = verifyStatusListCwt(bytes, {
      expectedUri: 'https://example.com/statuslists/1',
      clock: { now: () => 1_686_920_170_000 },
    })
    expect(hexEncode(v.list.bytes)).toBe('b9a3')
    expect(v.ttl).toBe(43200)
  })
  it('§6.2 Referenced Token CWT carries status_list idx and uri', () => {
    const s = decodeCoseSign1(hexDecode(hexOf('referenced_token_cwt.md')))
    const claims = decodeCbor(s.payload as Uint8Array) as Map<CborValue, CborValue>
    const status = claims.get(CWT.status) as Map<CborValue, CborValue>
    const sl = status.get('status_list') as Map<CborValue, CborValue>
    expect([sl.get('idx'), sl.get('uri')]).toEqual([0, 'https://example.com/statuslists/1'])
  })
})
