/**
 * When something does not verify because its issuer or verifier is not trusted, say how to trust it
 * (the terminal wallet used to print only that the credential does not verify).
 */
const ISSUER =
  /^(sd_jwt_vc\.issuer_untrusted|sd_jwt\.issuer_key_unresolved|mdoc\.issuer_untrusted|jwt_vc\.issuer_untrusted|jose\.x5c_(untrusted|self_signed))$/
const VERIFIER = /^openid4vp\.client_untrusted$/

export function trustHint(command: string, code: string): string | undefined {
  if (VERIFIER.test(code))
    return 'the verifier is not trusted: add its root with --trust-anchor FILE|URL (for a Bonafide agent: <agent>/trust-anchor.pem)'
  if (!ISSUER.test(code)) return undefined
  if (command === 'wallet')
    return 'the issuer is not trusted: add its root with --trust-anchor FILE|URL (for a Bonafide agent: <agent>/trust-anchor.pem)'
  return 'the issuer is not trusted: pass its root (--trust-anchor) or key (--issuer-key), or add it to an agent with bonafide trust add'
}
