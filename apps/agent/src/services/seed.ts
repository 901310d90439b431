import type { SchemaRegistry } from '@bonafide/schema'
import { PID_JSON_SCHEMA, PID_VCT } from '../defaults/pid-schema.js'
import type { ConfigurationService } from './configurations.js'

export const MEMBERSHIP_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Membership',
  type: 'object',
  required: ['given_name', 'family_name', 'member_since'],
  properties: {
    given_name: { type: 'string', minLength: 1, maxLength: 150 },
    family_name: { type: 'string', minLength: 1, maxLength: 150 },
    member_since: { type: 'string', format: 'date' },
    level: { type: 'string', enum: ['basic', 'gold', 'platinum'] },
  },
  additionalProperties: false,
} as const

/**
 * What a fresh agent offers in its first minute: PID as SD-JWT VC and mdoc, the mDL, and a W3C
 * membership credential, each with its schema and a batch of 10. Idempotent (every start).
 */
export async function seedDefaults(o: {
  registry: SchemaRegistry
  configs: ConfigurationService
  author: string
}): Promise<void> {
  if ((await o.configs.list({ includeRetired: true })).length > 0) return
  const pid = await o.registry.add({
    name: 'eu.europa.ec.eudi.pid',
    version: '1.0.0',
    author: o.author,
    tags: ['pid', 'eudi'],
    description: 'EU Person Identification Data (SD-JWT VC claims)',
    schema: PID_JSON_SCHEMA,
  })
  const membership = await o.registry.add({
    name: 'org.example.membership',
    version: '1.0.0',
    author: o.author,
    tags: ['example'],
    description: 'An example membership credential (W3C VC)',
    schema: MEMBERSHIP_SCHEMA,
  })
  const display = (name: string) => [{ name, locale: 'en' }]
  for (const c of [
    { id: 'pid_sd_jwt', format: 'dc+sd-jwt', vct: PID_VCT, scope: 'pid', schemaId: pid.id, display: display('PID (SD-JWT VC)') },
    { id: 'pid_mdoc', format: 'mso_mdoc', doctype: 'eu.europa.ec.eudi.pid.1', scope: 'pid_mdoc', display: display('PID (mdoc)') },
    {
      id: 'mdl_mdoc',
      format: 'mso_mdoc',
      doctype: 'org.iso.18013.5.1.mDL',
      scope: 'mdl',
      display: display('Mobile driving licence'),
    },
    {
      id: 'membership_jwt_vc',
      format: 'jwt_vc_json',
      type: ['VerifiableCredential', 'MembershipCredential'],
      scope: 'membership',
      schemaId: membership.id,
      display: display('Membership (W3C VC)'),
    },
  ])
    await o.configs.create({ ...c, batchSize: 10 }, { ifAbsent: true })
}
