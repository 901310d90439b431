import { jwkThumbprint, MemoryKeyStore } from '@bonafide/keys'
import { decodeSdJwt, issueSdJwtVcBatch, presentSdJwt, verifySdJwtVc } from '@bonafide/sd-jwt'
import { createDevChain } from '../dev-pki.js'
import type { Command, Io } from '../io.js'

const SAMPLE_PID = {
  given_name: 'Erika',
  family_name: 'Mustermann',
  birthdate: '1964-08-12',
  nationalities: ['DE'],
  address: { street_address: 'Heidestraße 17', locality: 'Köln', postal_code: '51147', country: 'DE' },
  age_equal_or_over: { '18': true, '21': true, '65': false },
}
const DISCLOSABLE = [
  'given_name',
  'family_name',
  'birthdate',
  'nationalities.0',
  'address',
  'address.street_address',
  'address.locality',
  'address.postal_code',
  'address.country',
  'age_equal_or_over.18',
  'age_equal_or_over.21',
  'age_equal_or_over.65',
]

function step(io: Io, n: number, title: string, lines: string[]): void {
  io.out(`\n${n}. ${title}`)
  for (const l of lines) io.out(`   ${l}`)
}

/** `bonafide demo`: issue a batch → present one copy → verify it, explained step by step. */
export const demo: Command = {
  name: 'demo',
  summary: 'end-to-end demo: issue a batch of SD-JWT VCs, present one, verify it',
  async run(args, io) {
    if (args.includes('--help')) {
      io.out('bonafide demo   (no options; everything is generated in memory)')
      return 0
    }
    io.out('Bonafide demo: a PID issued as a batch of one-time-use SD-JWT VCs (dc+sd-jwt), one copy presented, verified.')
    const pki = await createDevChain({ dnsNames: ['issuer.example'] })
    const issuerSigner = pki.leafSigner
    step(io, 1, 'Issuer keys', [
      `document signer ES256 key, certificate "${pki.leaf.subject}"`,
      `issued by a development root "${pki.root.subject}" (the verifier trusts this root)`,
    ])

    const wallet = new MemoryKeyStore({ name: 'wallet' })
    const refs = await Promise.all(Array.from({ length: 5 }, () => wallet.generate({ alg: 'ES256' })))
    const holderKeys = await Promise.all(refs.map(async (r) => (await wallet.signer(r)).publicJwk))
    step(io, 2, 'Wallet', [`generated 5 fresh holder keys: ${holderKeys.map((k) => jwkThumbprint(k).slice(0, 10)).join(', ')} …`])

    const { credentials, audit } = await issueSdJwtVcBatch({
      signer: issuerSigner,
      iss: 'https://issuer.example',
      vct: 'urn:eudi:pid:1',
      claims: SAMPLE_PID,
      disclosable: DISCLOSABLE,
      validForSeconds: 90 * 86_400,
      header: { x5c: pki.x5c },
      entries: holderKeys.map((holderKey, i) => ({
        holderKey,
        status: { status_list: { idx: 4093 + i * 977, uri: 'https://issuer.example/status/1' } },
      })),
    })
    const first = decodeSdJwt(credentials[0] as string)
    step(io, 3, `Issuer: batch of ${credentials.length} credentials (batch ${audit.batchId.slice(0, 8)}…)`, [
      `each bound to its own holder key (cnf.jwk), with fresh salts and its own status index`,
      `iat rounded to the start of the day (${new Date((first.jwt.payload.iat as number) * 1000).toISOString()}) so copies cannot be linked by time`,
      `copy #1: ${(credentials[0] as string).length} characters, ${first.disclosures.length} disclosures; signed payload shows only digests:`,
      `  _sd: ${JSON.stringify((first.jwt.payload._sd as string[]).slice(0, 2))} … (${(first.jwt.payload._sd as string[]).length} digests)`,
    ])

    const verifier = { clientId: 'x509_san_dns:verifier.example', nonce: 'demo-nonce-4711' }
    const holder = await wallet.signer(refs[0]!)
    const vp = await presentSdJwt(credentials[0] as string, {
      disclose: ['given_name', 'age_equal_or_over.18'],
      kb: { signer: holder, aud: verifier.clientId, nonce: verifier.nonce },
    })
    step(io, 4, 'Wallet: presents copy #1 to a verifier asking for given_name and age_equal_or_over.18', [
      `discloses 2 of ${first.disclosures.length} claims and signs a KB-JWT (aud ${verifier.clientId}, nonce ${verifier.nonce})`,
      `presentation: ${vp.slice(0, 60)}… (${vp.length} characters)`,
    ])

    const result = await verifySdJwtVc(vp, {
      issuerKeys: { trustAnchors: [pki.root.pem] },
      kb: { required: true, aud: verifier.clientId, nonce: verifier.nonce },
    })
    step(io, 5, 'Verifier: checks issuer chain, signature, digests, validity and key binding', [
      `valid: issuer ${result.iss}, type ${result.vct}`,
      `disclosed claims: ${JSON.stringify({ given_name: result.claims.given_name, age_equal_or_over: result.claims.age_equal_or_over })}`,
      `not disclosed: family_name, birthdate, address, nationalities (${Object.keys(result.claims).includes('family_name') ? 'LEAKED!' : 'hidden'})`,
    ])

    let replay = 'accepted (!)'
    try {
      await verifySdJwtVc(vp, {
        issuerKeys: { trustAnchors: [pki.root.pem] },
        kb: { required: true, aud: verifier.clientId, nonce: 'another-session' },
      })
    } catch (e) {
      replay = `rejected (${(e as { code?: string }).code})`
    }
    step(io, 6, 'Replay into another session (different nonce)', [replay])
    io.out('\nDone. Next: `bonafide --help`, or `npm test`.')
    return 0
  },
}
