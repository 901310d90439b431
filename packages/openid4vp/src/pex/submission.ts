import { parseJson } from '@bonafide/core'
import { z } from 'zod'
import { Openid4vpError } from '../errors.js'
import { PEX_FORMAT_DESIGNATIONS } from './definition.js'
import { parseJsonPath } from './jsonpath.js'
import { fail, PEX_LIMITS, parsePexWire } from './wire.js'

/** One level of `path_nested`: the OpenID4VP drafts' examples leave out its `id` (it is the entry's). */
export interface NestedDescriptor {
  readonly id?: string
  readonly format: string
  readonly path: string
  readonly path_nested?: NestedDescriptor
}

export interface DescriptorMapEntry extends NestedDescriptor {
  readonly id: string
}

const zNested: z.ZodType<NestedDescriptor> = z.lazy(() =>
  z.looseObject({
    id: z.string().min(1).max(256).optional(),
    format: z.string().min(1).max(64),
    path: z.string().min(1).max(512),
    path_nested: zNested.optional(),
  }),
)

const zEntry = z.looseObject({
  id: z.string().min(1).max(256),
  format: z.string().min(1).max(64),
  path: z.string().min(1).max(512),
  path_nested: zNested.optional(),
})

const zPresentationSubmission = z.looseObject({
  id: z.string().min(1).max(256),
  definition_id: z.string().min(1).max(256),
  descriptor_map: z.array(zEntry).max(PEX_LIMITS.descriptorMap),
})
export type PresentationSubmission = z.output<typeof zPresentationSubmission>

export interface ParseSubmissionOptions {
  /** Format designations to accept beyond PEX_FORMAT_DESIGNATIONS. */
  extraFormats?: readonly string[]
}

const bad = (where: string, what: string) => fail('openid4vp.pex_submission_invalid', where, what)

function checkEntry(e: NestedDescriptor, where: string, rootId: string, known: ReadonlySet<string>, depth: number): void {
  if (depth > PEX_LIMITS.pathNesting) bad(where, 'path_nested is nested too deeply')
  // §Presentation Submission: the id MUST be the same at every level of nesting (when given).
  if (e.id !== undefined && e.id !== rootId) bad(`${where}.id`, 'differs from the enclosing descriptor id')
  if (!known.has(e.format)) bad(`${where}.format`, 'is not a known claim format designation')
  // Each entry names one discrete container (§Validation of Claims): a path must select one node.
  if (!parseJsonPath(e.path).definite) bad(`${where}.path`, 'must select a single value (no wildcard or descent)')
  if (e.path_nested) checkEntry(e.path_nested, `${where}.path_nested`, rootId, known, depth + 1)
}

/**
 * Parse a `presentation_submission` (PEX 2.1.1 §Presentation Submission): JSON text or object,
 * size-limited; known formats; definite JSONPaths of the supported subset; `path_nested` bounded
 * and carrying the same `id` at every level (a nested level without `id` inherits it).
 *
 * @example const submission = parsePresentationSubmission(form.get('presentation_submission'))
 */
export function parsePresentationSubmission(input: unknown, o: ParseSubmissionOptions = {}): PresentationSubmission {
  const s = parsePexWire(zPresentationSubmission, input, 'openid4vp.pex_submission_invalid')
  const known = new Set<string>([...PEX_FORMAT_DESIGNATIONS, ...(o.extraFormats ?? [])])
  for (const [i, e] of s.descriptor_map.entries()) checkEntry(e, `descriptor_map[${i}]`, e.id, known, 1)
  return s
}

/**
 * The `vp_token` form parameter of a PEX response (OpenID4VP drafts): a JSON array or object is
 * sent as JSON text, a single string presentation (SD-JWT, base64url mdoc, JWT) as itself.
 */
export function parseVpTokenParam(raw: unknown): unknown {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 4 * 1024 * 1024)
    throw new Openid4vpError('openid4vp.vp_token_invalid', 'vp_token must be a non-empty string of bounded size')
  const t = raw.trimStart()
  if (!t.startsWith('[') && !t.startsWith('{') && !t.startsWith('"')) return raw
  try {
    return parseJson(raw, { maxLength: 4 * 1024 * 1024 })
  } catch (cause) {
    throw new Openid4vpError('openid4vp.vp_token_invalid', 'vp_token is not valid JSON', { cause })
  }
}
