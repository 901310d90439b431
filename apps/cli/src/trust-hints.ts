import { untrustedParty } from '@bonafide/agent'

/**
 * When something does not verify because its issuer or verifier is not trusted, say how to trust it
 * (the terminal wallet used to print only that the credential does not verify). Which codes mean "untrusted"
 * is the agent's one list.
 */
export function trustHint(command: string, code: string): string | undefined {
  const party = untrustedParty(code)
  if (party === 'verifier')
    return 'the verifier is not trusted: add its root with --trust-anchor FILE|URL (for a Bonafide agent: <agent>/trust-anchor.pem)'
  if (party !== 'issuer') return undefined
  if (command === 'wallet')
    return 'the issuer is not trusted: add its root with --trust-anchor FILE|URL (for a Bonafide agent: <agent>/trust-anchor.pem)'
  return 'the issuer is not trusted: pass its root (--trust-anchor) or key (--issuer-key), or add it to an agent with bonafide trust add'
}
