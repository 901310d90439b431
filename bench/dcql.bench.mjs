// DCQL matching: a query with 3 credential queries and a credential set against wallets of 1,000 and
// 10,000 credentials of 5 types; ours vs dcql@3.0.0 on the same data. Run: npm run build && node bench/dcql.bench.mjs
import { CredentialIndex, matchDcql, parseDcqlQuery } from '@bonafide/openid4vp/dcql'
import { DcqlQuery } from 'dcql'

const TYPES = ['urn:eudi:pid:1', 'https://example.com/diploma', 'https://example.com/employee', 'https://example.com/health']
const MDL = 'org.iso.18013.5.1.mDL'
function wallet(n) {
  const ours = []
  const peer = []
  for (let i = 0; i < n; i++) {
    const t = i % 5
    if (t === 4) {
      const ns = {
        'org.iso.18013.5.1': {
          given_name: `G${i}`,
          family_name: `F${i}`,
          age_over_18: i % 3 !== 0,
          driving_privileges: [{ vehicle_category_code: 'B' }],
        },
      }
      ours.push({ id: `c${i}`, format: 'mso_mdoc', doctype: MDL, claims: ns })
      peer.push({ credential_format: 'mso_mdoc', doctype: MDL, namespaces: ns, cryptographic_holder_binding: true })
    } else {
      const claims = {
        given_name: `G${i}`,
        family_name: `F${i}`,
        address: { locality: i % 2 ? 'Köln' : 'Berlin', country: 'DE' },
        nationalities: ['DE'],
        age_over_18: i % 4 !== 0,
        degree: 'MSc',
      }
      ours.push({ id: `c${i}`, format: 'dc+sd-jwt', vct: TYPES[t], claims })
      peer.push({ credential_format: 'dc+sd-jwt', vct: TYPES[t], claims, cryptographic_holder_binding: true })
    }
  }
  return { ours, peer }
}
const raw = {
  credentials: [
    {
      id: 'pid',
      format: 'dc+sd-jwt',
      meta: { vct_values: ['urn:eudi:pid:1'] },
      claims: [
        { id: 'a', path: ['age_over_18'], values: [true] },
        { id: 'g', path: ['given_name'] },
        { id: 'c', path: ['address', 'locality'] },
      ],
      claim_sets: [['a'], ['g', 'c']],
    },
    {
      id: 'mdl',
      format: 'mso_mdoc',
      meta: { doctype_value: MDL },
      claims: [
        { path: ['org.iso.18013.5.1', 'age_over_18'], values: [true] },
        { path: ['org.iso.18013.5.1', 'driving_privileges'] },
      ],
    },
    {
      id: 'diploma',
      format: 'dc+sd-jwt',
      meta: { vct_values: ['https://example.com/diploma'] },
      claims: [{ path: ['degree'], values: ['MSc'] }],
    },
  ],
  credential_sets: [
    {
      options: [
        ['pid', 'mdl'],
        ['pid', 'diploma'],
      ],
    },
  ],
}
const ours = parseDcqlQuery(raw)
const peerQuery = DcqlQuery.parse(raw)
DcqlQuery.validate(peerQuery)

function time(fn, minMs = 300) {
  fn()
  const t0 = performance.now()
  let n = 0
  do {
    fn()
    n++
  } while (performance.now() - t0 < minMs)
  return (performance.now() - t0) / n
}
console.log(`Bonafide DCQL benchmark — node ${process.version}; 3 credential queries + a credential set, wallets of 5 types`)
for (const n of [1000, 10000]) {
  const w = wallet(n)
  const index = new CredentialIndex(w.ours)
  const check = matchDcql(ours, index)
  const peerRes = DcqlQuery.query(peerQuery, w.peer)
  const oursIndexed = time(() => matchDcql(ours, index))
  const oursCold = time(() => matchDcql(ours, w.ours)) // builds the index on every call
  const peer = time(() => DcqlQuery.query(peerQuery, w.peer), 1)
  console.log(`\n${n.toLocaleString()} credentials: both satisfied? ours ${check.satisfied}, dcql ${peerRes.can_be_satisfied}`)
  console.log(
    `  ours (index kept by the wallet) ${oursIndexed.toFixed(3)} ms, ours (index built per call) ${oursCold.toFixed(3)} ms, dcql@3.0.0 ${peer.toFixed(1)} ms`,
  )
  console.log(
    `  ours vs dcql@3.0.0: ${(peer / oursIndexed).toFixed(0)}× faster with the index, ${(peer / oursCold).toFixed(0)}× building it per call (target ≥ 100×)`,
  )
}
