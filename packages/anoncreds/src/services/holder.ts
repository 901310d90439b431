/**
 * Holder operations over AnonCreds JSON objects, as anoncreds-rs `src/services/prover.rs`
 * (AnonCreds v1 §Holder Create and Store Link Secret, §Credential Request, §Receiving a Credential).
 * Presentations are built in presentation.ts. Revocation is not handled yet: a revocable credential
 * (`r_credential` present) is refused with `anoncreds.revocation_unsupported`.
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
  const nonce = newNonce().toString()
  const credentialRequest = parseCredentialRequest({
    ...('entropy' in requester ? { entropy: requester.entropy } : { prover_did: requester.proverDid }),
    cred_def_id: off.cred_def_id,
    blinded_ms: blindedSecretsJson(blinded.blinded),
    blinded_ms_correctness_proof: blindedProofJson(blinded.correctnessProof),
    nonce,
  })
  const credentialRequestMetadata = parseCredentialRequestMetadata({
    link_secret_blinding_data: { v_prime: blinded.blindingFactors.v_prime.toString(), vr_prime: null },
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
 * Returns a new credential with the processed `v`.
 */
export function processCredential(
  credential: Credential,
  requestMetadata: CredentialRequestMetadata,
  linkSecret: LinkSecret,
  credentialDefinition: CredentialDefinition,
  revocationRegistryDefinition?: undefined,
): Credential {
  const cred = parseCredential(credential)
  const meta = parseCredentialRequestMetadata(requestMetadata)
  const credDef = parseCredentialDefinition(credentialDefinition)
  if (cred.signature.r_credential != null || revocationRegistryDefinition !== undefined) {
    throw new AnonCredsError('anoncreds.revocation_unsupported', 'revocable credentials are not supported yet')
  }
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
  return parseCredential({ ...cred, signature: { ...cred.signature, p_credential: primarySignatureJson(signature) } })
}
