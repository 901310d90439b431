/**
 * DIF Presentation Exchange 2.1.1 for OpenID4VP (`@bonafide/openid4vp/pex`), the query language
 * of the OpenID4VP drafts before DCQL. Verifier: `parsePresentationDefinition`,
 * `parsePresentationSubmission`, `validatePexResponse` (the counterpart of `validateVpToken`,
 * reusing its PresentationValidators and NonceGuard). Wallet: `matchPresentationDefinition` over
 * the same CredentialRecords as `matchDcql`, then `buildPresentationSubmission`.
 *
 * Choices, documented where they are made:
 * - Field paths are evaluated on the verified claims: SD-JWT VC disclosed claims plus `vct`/`iss`
 *   (`$.vct`, `$.given_name`); mdoc `{ namespace: { element } }` (`$['org.iso.18013.5.1']['age_over_18']`),
 *   with the input descriptor id as the doctype (ISO/IEC 18013-7 Annex B); JWT VCs as their
 *   validator reports them (`$.credentialSubject.x`, `$.type`).
 * - JSONPath: names, indices, `*` and `..` only; JSON Schema filters: a strict draft-07 subset,
 *   or an injected FilterEvaluator.
 * - `vc+sd-jwt` and `dc+sd-jwt` name one format.
 */
export * from './build.js'
export * from './definition.js'
export * from './errors.js'
export * from './evaluate.js'
export * from './filter.js'
export * from './jsonpath.js'
export * from './match.js'
export * from './requirements.js'
export * from './submission.js'
export * from './validate.js'
