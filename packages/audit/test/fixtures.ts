import { FakeClock, type JsonObject, type RandomSource } from '@bonafide/core'
import { generatePrivateJwk, type PublicJwk, signerFromPrivateJwk } from '@bonafide/keys'
import { issueMdoc, issueMdocBatch } from '@bonafide/mdoc'
import { issueSdJwtVc, issueSdJwtVcBatch } from '@bonafide/sd-jwt'
import { createDevChain } from '@bonafide/testing'

/** 15:30:07 UTC: on no rounding boundary, so an exact timestamp is visible as one. */
export const clock = new FakeClock(Date.UTC(2026, 10, 22, 15, 30, 7))
export const NOW = Math.floor(clock.now() / 1000)
/** The top of an hour: what a rounding issuer writes. */
export const hourClock = new FakeClock(Date.UTC(2026, 10, 22, 15, 0, 0))
export const DAY = Math.floor(NOW / 86_400) * 86_400
export const LIST = 'https://issuer.example/status/7'
/** Indices as a random allocator over a 131,072-entry list hands them out. */
export const SPREAD = [9137, 80211, 45002, 120345, 3377]

export const issuer = signerFromPrivateJwk(generatePrivateJwk('ES256'))
export const holderKey = (): PublicJwk => signerFromPrivateJwk(generatePrivateJwk('ES256')).publicJwk

export const pid = { given_name: 'Erika', family_name: 'Mustermann', birthdate: '1964-08-12', address: { locality: 'Berlin' } }
export const sdBase = {
  signer: issuer,
  iss: 'https://issuer.example',
  vct: 'urn:eudi:pid:1',
  claims: pid,
  disclosable: ['given_name', 'family_name', 'birthdate', 'address.locality'],
  validForSeconds: 30 * 86_400,
  clock,
}

export const tokenStatus = (idx: number, uri = LIST): JsonObject => ({ status_list: { idx, uri } })

/** The same bytes every time it is created: salts (and mdoc randoms) repeat across copies issued with it. */
export function replayedRandom(): RandomSource {
  let n = 0
  return {
    bytes(k) {
      const b = new Uint8Array(k)
      for (let i = 0; i < k; i++) b[i] = (n++ * 151 + 17) & 0xff
      return b
    },
  }
}

/** A batch as issueSdJwtVcBatch makes it: own holder keys, fresh salts, and the given timestamp policy and status. */
export async function sdJwtBatch(
  o: { n?: number; idx?: readonly number[]; timestamps?: Parameters<typeof issueSdJwtVcBatch>[0]['timestamps'] } = {},
) {
  const idx = o.idx ?? SPREAD
  const entries = Array.from({ length: o.n ?? idx.length }, (_, i) => ({
    holderKey: holderKey(),
    ...(idx[i] !== undefined ? { status: tokenStatus(idx[i] as number) } : {}),
  }))
  return (await issueSdJwtVcBatch({ ...sdBase, entries, ...(o.timestamps ? { timestamps: o.timestamps } : {}) })).credentials
}

/** Copies issued one by one (the batch issuer refuses some of the mistakes under test). */
export function sdJwtCopies(n: number, each: (i: number) => Partial<Parameters<typeof issueSdJwtVc>[0]>): Promise<string[]> {
  return Promise.all(
    Array.from({ length: n }, (_, i) => issueSdJwtVc({ ...sdBase, iat: DAY, holderKey: holderKey(), ...each(i) })),
  )
}

export const MDL = 'org.iso.18013.5.1.mDL'
const NS = 'org.iso.18013.5.1'
export const mdl = { [NS]: { family_name: 'Mustermann', given_name: 'Erika', birth_date: '1964-08-12', age_over_18: true } }

export async function mdocIssuer() {
  const pki = await createDevChain()
  const signer = signerFromPrivateJwk(pki.leaf.key.export({ format: 'jwk' }))
  const base = { signer, x5chain: [pki.leaf.der], docType: MDL, claims: mdl, clock }
  return {
    batch: (n: number) =>
      issueMdocBatch({
        ...base,
        entries: Array.from({ length: n }, (_, i) => ({ deviceKey: holderKey(), status: tokenStatus(SPREAD[i] as number) })),
      }),
    one: (o: { deviceKey?: PublicJwk; roundSeconds?: number; random?: RandomSource }) =>
      issueMdoc({
        ...base,
        deviceKey: o.deviceKey ?? holderKey(),
        roundSeconds: o.roundSeconds ?? 86_400,
        ...(o.random ? { random: o.random } : {}),
      }),
  }
}
