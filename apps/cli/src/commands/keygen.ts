import { writeFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { generatePrivateJwk, isJwsAlg } from '@bonafide/keys'
import { type Command, UsageError } from '../io.js'

export const keygen: Command = {
  name: 'keygen',
  summary: 'generate a private JWK (kid = RFC 7638 thumbprint)',
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: { alg: { type: 'string', default: 'ES256' }, out: { type: 'string' }, help: { type: 'boolean' } },
      strict: true,
    })
    if (values.help) {
      io.out('bonafide keygen [--alg ES256|ES384|ES512|EdDSA] [--out FILE]')
      return 0
    }
    if (!isJwsAlg(values.alg)) throw new UsageError('--alg must be ES256, ES384, ES512 or EdDSA')
    const jwk = JSON.stringify(generatePrivateJwk(values.alg), null, 2)
    if (values.out) {
      await writeFile(values.out, `${jwk}\n`, { mode: 0o600 })
      io.err(`wrote private key to ${values.out}`)
    } else io.out(jwk)
    return 0
  },
}
