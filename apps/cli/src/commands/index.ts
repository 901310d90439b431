import { configCommand, credentialCommand, keyCommand, offerCommand, registryCommand } from '../admin/commands.js'
import { requestCommand, trustCommand } from '../admin/request-commands.js'
import type { Command } from '../io.js'
import { anoncreds } from './anoncreds.js'
import { audit } from './audit.js'
import { decode } from './decode.js'
import { demo } from './demo.js'
import { didCommand } from './did.js'
import { issuerCommand } from './issuer.js'
import { keygen } from './keygen.js'
import { mdoc } from './mdoc.js'
import { schemaCommand } from './schema.js'
import { sdJwt } from './sd-jwt.js'
import { serveCommand } from './serve.js'
import { status } from './status.js'
import { vc } from './vc.js'
import { verifierCommand } from './verifier.js'
import { walletCommand } from './wallet.js'

/** Every `bonafide` command. One line per command module. */
export const commands: Command[] = [
  serveCommand,
  offerCommand,
  credentialCommand,
  configCommand,
  registryCommand,
  keyCommand,
  requestCommand,
  trustCommand,
  keygen,
  sdJwt,
  mdoc,
  status,
  decode,
  audit,
  anoncreds,
  demo,
  issuerCommand,
  verifierCommand,
  walletCommand,
  didCommand,
  schemaCommand,
  vc,
]
