export * from './attribute-names.js'
export {
  type BlindedCredentialSecretsResult,
  blindCredentialSecrets,
  verifyBlindedCredentialSecretsCorrectnessProof,
} from './cl/blinded-secrets.js'
export * as bn from './cl/bn.js'
// revocation in the service layer (anoncreds-rs issuer.rs / prover.rs / verifier.rs with revocation)
export { challengeHash, challengeHashBytes } from './cl/challenge.js'
export * from './cl/constants.js'
export { fourSquares } from './cl/four-squares.js'
export { credentialContext, newNonce } from './cl/helpers.js'
export {
  type CredentialPrimaryKeys as ClCredentialPrimaryKeys,
  createCredentialPrimaryKeys,
  verifyKeyCorrectnessProof,
} from './cl/issuer-keys.js'
export { generatePrimeInRange, generateSafePrime, isProbablePrime } from './cl/primes.js'
export { processCredentialSignature, verifyPrimarySignature } from './cl/process.js'
export type {
  AggregatedProof as ClAggregatedProof,
  PrimaryEqualProof as ClPrimaryEqualProof,
  PrimaryPredicateInequalityProof as ClPrimaryPredicateInequalityProof,
  PrimaryProof as ClPrimaryProof,
  Proof as ClProof,
  SubProof as ClSubProof,
} from './cl/proof-types.js'
export type { NonRevocationProofInput } from './cl/prover-proof.js'
export { ProofBuilder, type ProofCredential } from './cl/prover-proof.js'
export { type SignCredentialArgs, type SignedCredential, signCredential } from './cl/sign.js'
export {
  getDelta,
  getDeltaPrime,
  isLess,
  type Predicate as ClPredicate,
  type PredicateType as ClPredicateType,
  type SubProofRequest,
  subProofRequest,
} from './cl/sub-proof-request.js'
export type {
  BigIntMap as ClBigIntMap,
  BlindedCredentialSecrets as ClBlindedCredentialSecrets,
  BlindedCredentialSecretsCorrectnessProof as ClBlindedCredentialSecretsCorrectnessProof,
  CredentialKeyCorrectnessProof as ClCredentialKeyCorrectnessProof,
  CredentialPrimaryPrivateKey as ClCredentialPrimaryPrivateKey,
  CredentialPrimaryPublicKey as ClCredentialPrimaryPublicKey,
  CredentialSchema as ClCredentialSchema,
  CredentialSecretsBlindingFactors as ClCredentialSecretsBlindingFactors,
  CredentialValue as ClCredentialValue,
  CredentialValues as ClCredentialValues,
  NonCredentialSchema as ClNonCredentialSchema,
  Nonce as ClNonce,
  PrimaryCredentialSignature as ClPrimaryCredentialSignature,
  SignatureCorrectnessProof as ClSignatureCorrectnessProof,
} from './cl/types.js'
export { compareAttrNames, credentialSchema, MASTER_SECRET, nonCredentialSchema, sortedEntries } from './cl/types.js'
export type { NonRevocationVerifyInput } from './cl/verifier-proof.js'
export { E_HAT_MAX_BITS, expectedCList, ProofVerifier } from './cl/verifier-proof.js'
export * from './encoding.js'
// alias named after anoncreds-rs encode_credential_attribute (cl/helpers.js has its own bigint-returning encodeAttribute)
export { encodeAttribute as encodeCredentialAttribute } from './encoding.js'
export * from './errors.js'
export * from './objects/index.js'
export { GroupOrderElement, Pair, PointG1, PointG2, pairingParams } from './pairing/index.js'
export * as clRevocation from './revocation/index.js'
// the service layer over JSON objects (anoncreds-rs src/services)
export * from './services/index.js'
export type { CreatePresentationOptions } from './services/presentation.js'
export {
  type CreateRevocationRegistryDefinitionResult,
  type CredentialRevocationConfig,
  createRevocationRegistryDefinition,
  createRevocationStatusList,
  type TailsWriter,
  tailsDirectoryWriter,
  updateRevocationStatusList,
  updateRevocationStatusListTimestampOnly,
} from './services/revocation-issuer.js'
export {
  type CredentialRevocationState,
  parseCredentialRevocationState,
  parseRevocationRegistryDefinitionPrivate,
  type RevocationRegistryDefinitionPrivate,
  zCredentialRevocationState,
  zRevocationRegistryDefinitionPrivate,
} from './services/revocation-objects.js'
export { createOrUpdateRevocationState, type TailsSource } from './services/revocation-state.js'
export * as revocationWire from './services/wire-revocation.js'
