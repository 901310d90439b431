/** Revocation key generation (clsignatures `Issuer::_new_credential_revocation_keys`, `_new_revocation_registry_keys`). */
import { GroupOrderElement, Pair, PointG1, PointG2 } from '../pairing/groups.js'
import type {
  CredentialRevocationPrivateKey,
  CredentialRevocationPublicKey,
  RevocationKeyPrivate,
  RevocationKeyPublic,
} from './types.js'

export function createCredentialRevocationKeys(): {
  publicKey: CredentialRevocationPublicKey
  privateKey: CredentialRevocationPrivateKey
} {
  const h = PointG1.random()
  const h0 = PointG1.random()
  const h1 = PointG1.random()
  const h2 = PointG1.random()
  const htilde = PointG1.random()
  const g = PointG1.random()
  const u = PointG2.random()
  const h_cap = PointG2.random()
  const x = GroupOrderElement.random()
  const sk = GroupOrderElement.random()
  const g_dash = PointG2.random()
  return {
    publicKey: { g, g_dash, h, h0, h1, h2, htilde, h_cap, u, pk: g.mul(sk), y: h_cap.mul(x) },
    privateKey: { x, sk },
  }
}

/** z = e(g^(γ^(L+1)), g') for a registry of L = maxCredNum credentials; `gamma` is random unless given. */
export function createRevocationRegistryKeys(
  publicKey: CredentialRevocationPublicKey,
  maxCredNum: number,
  gamma: GroupOrderElement = GroupOrderElement.random(),
): { publicKey: RevocationKeyPublic; privateKey: RevocationKeyPrivate } {
  const pow = gamma.powMod(GroupOrderElement.of(BigInt(maxCredNum) + 1n))
  return { publicKey: { z: Pair.pair(publicKey.g.mul(pow), publicKey.g_dash) }, privateKey: { gamma } }
}
