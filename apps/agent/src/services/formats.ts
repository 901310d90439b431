import { Buffer } from 'node:buffer'
import { isJsonObject, type JsonObject } from '@bonafide/core'
import type { CredentialFormat } from '@bonafide/openid4vci'
import { jwtVcJsonFormat, msoMdocFormat, sdJwtVcFormat } from '@bonafide/openid4vci/formats'
import type { CredentialConfiguration } from './configurations.js'
import type { ActiveKey } from './keys.js'
import type { StatusService } from './status.js'

/** Paths of every claim and of every member of nested objects: each is its own disclosure. */
export function disclosablePaths(claims: JsonObject, at: string[] = []): string[][] {
  const out: string[][] = []
  for (const [k, v] of Object.entries(claims)) {
    out.push([...at, k])
    if (isJsonObject(v)) out.push(...disclosablePaths(v, [...at, k]))
  }
  return out
}

/**
 * One adapter per format that hands each configuration to an adapter made for its validity period
 * (the library's adapters take one lifetime each).
 */
function perValidity(
  format: string,
  make: (validForSeconds: number) => CredentialFormat,
  configs: Map<string, CredentialConfiguration>,
): CredentialFormat {
  const byValidity = new Map<number, CredentialFormat>()
  const forConfig = (id: string) => {
    const v = configs.get(id)?.validitySeconds ?? 86400
    let f = byValidity.get(v)
    if (!f) byValidity.set(v, (f = make(v)))
    return f
  }
  const base = make(86400)
  return {
    format,
    validateConfiguration: (c) => base.validateConfiguration(c),
    issueBatch: (i) => (forConfig(i.configurationId).issueBatch as NonNullable<CredentialFormat['issueBatch']>)(i),
  }
}

export function buildFormats(o: {
  key: ActiveKey
  configs: Map<string, CredentialConfiguration>
  status: StatusService
  /** `vct#integrity` of a configuration's hosted Type Metadata. */
  vctIntegrity: (configurationId: string) => string | undefined
}): CredentialFormat[] {
  const { key } = o
  return [
    perValidity(
      'dc+sd-jwt',
      (validForSeconds) =>
        sdJwtVcFormat({
          signer: key.signer,
          x5c: key.x5c,
          disclosable: (_id, claims) => disclosablePaths(claims),
          validForSeconds,
          vctIntegrity: (id) => o.vctIntegrity(id),
        }),
      o.configs,
    ),
    perValidity(
      'mso_mdoc',
      (validForSeconds) =>
        msoMdocFormat({
          signer: key.signer,
          x5chain: key.x5c.map((c) => new Uint8Array(Buffer.from(c, 'base64'))),
          validForSeconds,
        }),
      o.configs,
    ),
    perValidity(
      'jwt_vc_json',
      (validForSeconds) =>
        jwtVcJsonFormat({
          signer: key.signer,
          x5c: key.x5c,
          validForSeconds,
          credentialStatus: (s) => o.status.bitstringEntries(s),
        }),
      o.configs,
    ),
  ]
}
