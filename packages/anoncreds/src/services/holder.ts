/**
 * Holder operations over AnonCreds JSON objects, as anoncreds-rs `src/services/prover.rs`
 * (AnonCreds v1 §Holder Create and Store Link Secret, §Credential Request, §Receiving a Credential).
 * Presentations are built in presentation.ts, revocation states in revocation-state.ts. For a credential definition
 * with revocation keys the request also carries the blinded revocation secret ur = h2^vr' (vr' kept in the metadata),
 * and processing a revocable credential completes and checks its non-revocation part.
 */
import { blindCredentialSecrets } from '../cl/blinded-secrets.js'
import { randomBits } from '../cl/bn.js'
import { LARGE_LINK_SECRET } from '../cl/constants.js'
import { newNonce } from '../cl/helpers.js'
import { processCredentialSignature } from '../cl/process.js'
import { MASTER_SECRET } from '../cl/types.js'
import { isEncodingOf } from '../encoding.js'
import { AnonCredsError } from '../errors.js'
import { type Credential, parseCredential } from '../objects/credential.js'
import { type CredentialDefinition, parseCredentialDefinition } from '../objects/credential-definition.js'
import { type CredentialOffer, parseCredentialOffer } from '../objects/credential-offer.js'
import { type CredentialRequest, parseCredentialRequest } from '../objects/credential-request.js'
import { type LinkSecret, parseLinkSecret } from '../objects/link-secret.js'
import { parseRevocationRegistryDefinition, type RevocationRegistryDefinition } from '../objects/revocation.js'
import { GroupOrderElement } from '../pairing/groups.js'
import { blindRevocationSecret, processNonRevocationCredential } from '../revocation/issue.js'
import { type CredentialRequestMetadata, parseCredentialRequestMetadata } from './private-objects.js'
import {
  bigOf,
  blindedProofJson,
  blindedSecretsJson,
  clCredentialValuesOf,
  keyCorrectnessProofOf,
  primaryPublicKeyOf,
  primarySignatureJson,
  primarySignatureOf,
  signatureCorrectnessProofOf,
} from './wire.js'
import {
  credentialRevocationPublicKeyOf,
  nonRevocationCredentialSignatureJson,
  nonRevocationCredentialSignatureOf,
  revocationKeyPublicOf,
  revocationRegistryOf,
  witnessOf,
} from './wire-revocation.js'

/** A new 256-bit link secret as a decimal string (`create_link_secret`). Store it; never log it. */
export function createLinkSecret(): LinkSecret {
  return randomBits(LARGE_LINK_SECRET).toString()
}

/** `entropy` (current), or `proverDid` (legacy, only with a legacy credential definition id). */
export type CredentialRequester = { readonly entropy: string } | { readonly proverDid: string }

export interface CreateCredentialRequestResult {
  readonly credentialRequest: CredentialRequest
  readonly credentialRequestMetadata: CredentialRequestMetadata
}

/**
 * Checks the issuer's key correctness proof (`anoncreds.key_correctness_invalid`), then blinds the link secret
 * and proves knowledge of it bound to the offer's nonce (`create_credential_request`).
 * @example createCredentialRequest({ entropy: 'holder-1' }, credDef, linkSecret, 'default', offer)
 */
export function createCredentialRequest(
  requester: CredentialRequester,
  credentialDefinition: CredentialDefinition,
  linkSecret: LinkSecret,
  linkSecretId: string,
  offer: CredentialOffer,
): CreateCredentialRequestResult {
  const credDef = parseCredentialDefinition(credentialDefinition)
  const off = parseCredentialOffer(offer)
  const secret = bigOf(parseLinkSecret(linkSecret))
  const pk = primaryPublicKeyOf(credDef.value.primary)
  const hidden = new Map([[MASTER_SECRET, { kind: 'hidden', value: secret } as const]])
  const blinded = blindCredentialSecrets(pk, keyCorrectnessProofOf(off.key_correctness_proof), hidden, bigOf(off.nonce))
  // _generate_blinded_revocation_credential_secrets: not covered by the blinded-secrets proof, as in clsignatures
  const rev = credDef.value.revocation ? blindRevocationSecret(credentialRevocationPublicKeyOf(credDef.value.revocation)) : null
  const nonce = newNonce().toString()
  const credentialRequest = parseCredentialRequest({
    ...('entropy' in requester ? { entropy: requester.entropy } : { prover_did: requester.proverDid }),
    cred_def_id: off.cred_def_id,
    blinded_ms: { ...blindedSecretsJson(blinded.blinded), ur: rev ? rev.ur.toString() : null },
    blinded_ms_correctness_proof: blindedProofJson(blinded.correctnessProof),
    nonce,
  })
  const credentialRequestMetadata = parseCredentialRequestMetadata({
    link_secret_blinding_data: {
      v_prime: blinded.blindingFactors.v_prime.toString(),
      vr_prime: rev ? rev.vr_prime.toString() : null,
    },
    nonce,
    link_secret_name: linkSecretId,
  })
  return { credentialRequest, credentialRequestMetadata }
}

/**
 * Completes the issuer's signature with the blinding factor and checks it (`process_credential`): every
 * `values[*].encoded` must be the encoding of its `raw` (`anoncreds.encoding_mismatch`; anoncreds-rs does not
 * check this, but a credential whose encodings differ from the raw values cannot be presented to a verifier
 * that checks them), the signature must sign those values and the link secret (`anoncreds.signature_invalid`),
 * and the issuer's correctness proof must hold for the request nonce (`anoncreds.signature_correctness_invalid`).
 * A revocable credential (`r_credential`) needs its registry definition: its vr'' is completed with the request's
 * vr' and checked against the credential's `rev_reg` and `witness` (`anoncreds.signature_invalid`; clsignatures
 * `_process_non_revocation_credential`). Returns a new credential with the processed `v` (and `vr_prime_prime`).
 */
export function processCredential(
  credential: Credential,
  requestMetadata: CredentialRequestMetadata,
  linkSecret: LinkSecret,
  credentialDefinition: CredentialDefinition,
  revocationRegistryDefinition?: RevocationRegistryDefinition,
): Credential {
  const cred = parseCredential(credential)
  const meta = parseCredentialRequestMetadata(requestMetadata)
  const credDef = parseCredentialDefinition(credentialDefinition)
  for (const [name, v] of Object.entries(cred.values)) {
    if (!isEncodingOf(v.raw, v.encoded)) {
      throw new AnonCredsError('anoncreds.encoding_mismatch', 'an encoded value is not the encoding of its raw value', {
        details: { attr_name: name },
      })
    }
  }
  const signature = processCredentialSignature(
    primarySignatureOf(cred.signature.p_credential),
    signatureCorrectnessProofOf(cred.signature_correctness_proof),
    { v_prime: bigOf(meta.link_secret_blinding_data.v_prime) },
    primaryPublicKeyOf(credDef.value.primary),
    bigOf(meta.nonce),
    clCredentialValuesOf(cred.values, bigOf(parseLinkSecret(linkSecret))),
  )
  const r_credential =
    cred.signature.r_credential != null ? processRevocationPart(cred, meta, credDef, revocationRegistryDefinition) : null
  return parseCredential({ ...cred, signature: { p_credential: primarySignatureJson(signature), r_credential } })
}

/** `_process_non_revocation_credential` on the JSON members (vr'' += vr', then the witness and signature checks). */
function processRevocationPart(
  cred: Credential,
  meta: CredentialRequestMetadata,
  credDef: CredentialDefinition,
  revocationRegistryDefinition: RevocationRegistryDefinition | undefined,
) {
  if (revocationRegistryDefinition === undefined) {
    throw new AnonCredsError('anoncreds.options_invalid', 'a revocable credential needs its revocation registry definition')
  }
  const def = parseRevocationRegistryDefinition(revocationRegistryDefinition)
  const vrPrime = meta.link_secret_blinding_data.vr_prime
  if (credDef.value.revocation == null || vrPrime == null || cred.rev_reg == null || cred.witness == null) {
    throw new AnonCredsError(
      'anoncreds.invalid_object',
      'revocable credential without revocation keys, vr_prime, rev_reg or witness',
    )
  }
  if (def.credDefId !== cred.cred_def_id) {
    throw new AnonCredsError('anoncreds.options_invalid', 'the revocation registry is for another credential definition')
  }
  const processed = processNonRevocationCredential(
    nonRevocationCredentialSignatureOf(cred.signature.r_credential!),
    GroupOrderElement.fromString(vrPrime),
    credentialRevocationPublicKeyOf(credDef.value.revocation),
    revocationKeyPublicOf(def.value.publicKeys.accumKey),
    revocationRegistryOf(cred.rev_reg),
    witnessOf(cred.witness),
  )
  return nonRevocationCredentialSignatureJson(processed)
}
