import type { PresentationDefinition, SubmissionRequirement } from './definition.js'

function members(pd: PresentationDefinition, group: string): string[] {
  return pd.input_descriptors.filter((d) => d.group?.includes(group)).map((d) => d.id)
}

function countOk(r: SubmissionRequirement, k: number, total: number): boolean {
  // §`all` rule: every member; §`pick` rule: count exactly, min at least, max at most.
  if (r.rule === 'all') return k === total
  return (r.count === undefined || k === r.count) && (r.min === undefined || k >= r.min) && (r.max === undefined || k <= r.max)
}

/** Whether one submission requirement is met by the set of validly submitted descriptor ids. */
export function requirementSatisfied(
  pd: PresentationDefinition,
  r: SubmissionRequirement,
  submitted: ReadonlySet<string>,
): boolean {
  if (r.from !== undefined) {
    const m = members(pd, r.from)
    return countOk(r, m.filter((id) => submitted.has(id)).length, m.length)
  }
  const nested = r.from_nested ?? []
  return countOk(r, nested.filter((n) => requirementSatisfied(pd, n, submitted)).length, nested.length)
}

/**
 * Indices of the top-level submission requirements not met (PEX 2.1.1 §Submission Requirements:
 * all MUST be satisfied). Without submission_requirements every input descriptor is required: the
 * result then lists nothing and the caller checks each descriptor.
 */
export function unsatisfiedRequirements(pd: PresentationDefinition, submitted: ReadonlySet<string>): number[] {
  return (pd.submission_requirements ?? []).flatMap((r, i) => (requirementSatisfied(pd, r, submitted) ? [] : [i]))
}

/** The least each rule needs (pick: count, else min, else nothing). */
function need(r: SubmissionRequirement, total: number): number {
  return r.rule === 'all' ? total : (r.count ?? r.min ?? 0)
}

function choose(pd: PresentationDefinition, r: SubmissionRequirement, available: ReadonlySet<string>): string[] | undefined {
  if (r.from !== undefined) {
    const m = members(pd, r.from)
    const have = m.filter((id) => available.has(id))
    const n = need(r, m.length)
    return have.length >= n ? have.slice(0, n) : undefined
  }
  const nested = r.from_nested ?? []
  const picks = nested.map((x) => choose(pd, x, available)).filter((x): x is string[] => x !== undefined)
  const n = need(r, nested.length)
  return picks.length >= n ? picks.slice(0, n).flat() : undefined
}

/**
 * A set of descriptor ids that meets every submission requirement using only `available` ones
 * (greedy: the first members in definition order, the least each pick rule needs), checked
 * against the rules afterwards; undefined when none is found. Without submission_requirements,
 * every descriptor.
 */
export function selectDescriptors(pd: PresentationDefinition, available: ReadonlySet<string>): string[] | undefined {
  if (!pd.submission_requirements) {
    const all = pd.input_descriptors.map((d) => d.id)
    return all.every((id) => available.has(id)) ? all : undefined
  }
  const chosen = new Set<string>()
  for (const r of pd.submission_requirements) {
    const c = choose(pd, r, available)
    if (!c) return undefined
    for (const id of c) chosen.add(id)
  }
  if (unsatisfiedRequirements(pd, chosen).length > 0) return undefined
  return pd.input_descriptors.map((d) => d.id).filter((id) => chosen.has(id))
}

/** Whether each top-level requirement could be met from `available` (for a wallet's UI). */
export function requirementSatisfiable(
  pd: PresentationDefinition,
  r: SubmissionRequirement,
  available: ReadonlySet<string>,
): boolean {
  return choose(pd, r, available) !== undefined
}
