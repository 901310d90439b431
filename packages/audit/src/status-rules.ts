import { list, shared, whichCopies } from './groups.js'
import type { Finding, Fingerprint } from './model.js'

export interface StatusContext {
  readonly fps: readonly Fingerprint[]
  readonly sizes: Readonly<Record<string, number>>
  readonly smallThreshold: number
  readonly maxStep: number
}

interface Entry {
  readonly field: string
  readonly index: number
  readonly copy: number
}

function byList(fps: readonly Fingerprint[]): Map<string, Entry[]> {
  const lists = new Map<string, Entry[]>()
  fps.forEach((f, copy) => {
    for (const s of f.status) {
      const l = lists.get(s.list) ?? []
      l.push({ field: s.field, index: s.index, copy })
      lists.set(s.list, l)
    }
  })
  return lists
}

/** draft-ietf-oauth-status-list-20 §12.5.1, §13.2: "uri and idx … are unique and therefore traceable"; a dedicated entry per copy. */
function sameIndex(entries: readonly Entry[], total: number): Finding[] {
  return [...shared(entries.map((e) => [e.index, e.copy] as const))].map(([index, copies]) => ({
    field: entries[0]?.field ?? 'status',
    kind: 'audit.same_status_index' as const,
    severity: 'high' as const,
    evidence: `${whichCopies(copies, total)} share index ${index} in one list`,
    copies,
  }))
}

/** Maximal runs of indices that follow each other (n, n+1, …), two or more long. */
function runs(sorted: readonly number[]): number[][] {
  const out: number[][] = []
  let run: number[] = []
  for (const i of sorted) {
    if (run.length && i === (run[run.length - 1] as number) + 1) run.push(i)
    else {
      if (run.length >= 2) out.push(run)
      run = [i]
    }
  }
  if (run.length >= 2) out.push(run)
  return out
}

/**
 * draft-ietf-oauth-status-list-20 §12.5.1: "choose non-sequential, pseudo-random or random indices". Adjacent
 * indices covering the whole batch are high, some adjacent pairs medium; indices all within a short regular
 * stride of each other (sequential allocation interleaved with other holders) are medium too.
 */
function adjacency(entries: readonly Entry[], total: number, maxStep: number, size: number | undefined): Finding[] {
  const field = entries[0]?.field ?? 'status'
  const copiesOf = (idx: readonly number[]) =>
    [...new Set(entries.filter((e) => idx.includes(e.index)).map((e) => e.copy))].sort((a, b) => a - b)
  const sorted = [...new Set(entries.map((e) => e.index))].sort((a, b) => a - b)
  const rs = runs(sorted)
  const whole = rs.length === 1 && rs[0]?.length === sorted.length && copiesOf(sorted).length === total
  const out: Finding[] = rs.map((r) => ({
    field,
    kind: 'audit.adjacent_status_index',
    severity: whole ? 'high' : 'medium',
    evidence: `indices ${list(r)} are adjacent`,
    copies: copiesOf(r),
  }))
  if (rs.length > 0 || sorted.length < 2) return out
  const span = (sorted[sorted.length - 1] as number) - (sorted[0] as number)
  const window = (sorted.length - 1) * maxStep
  // In a list barely larger than the window, random indices are close by chance: no conclusion.
  if (span <= window && (size === undefined || window * 8 < size)) {
    out.push({
      field,
      kind: 'audit.adjacent_status_index',
      severity: 'medium',
      evidence: `indices ${list(sorted)} lie within ${span} entries of each other (consecutive allocation)`,
      copies: copiesOf(sorted),
    })
  }
  return out
}

/** draft-ietf-oauth-status-list-20 §12.1: herd privacy depends on the size of the list. */
function smallList(entries: readonly Entry[], size: number | undefined, ctx: StatusContext): Finding[] {
  if (size === undefined || size >= ctx.smallThreshold) return []
  const copies = [...new Set(entries.map((e) => e.copy))].sort((a, b) => a - b)
  return [
    {
      field: entries[0]?.field ?? 'status',
      kind: 'audit.small_status_list',
      severity: 'low',
      evidence: `${whichCopies(copies, ctx.fps.length)} are in a list of ${size} entries (under ${ctx.smallThreshold})`,
      copies,
    },
  ]
}

/** Status references compared within each list: equal, adjacent or clustered indices, and small lists. */
export function statusFindings(ctx: StatusContext): Finding[] {
  const out: Finding[] = []
  for (const [uri, entries] of byList(ctx.fps)) {
    const size = Object.hasOwn(ctx.sizes, uri) ? ctx.sizes[uri] : undefined
    out.push(...sameIndex(entries, ctx.fps.length))
    out.push(...adjacency(entries, ctx.fps.length, ctx.maxStep, size))
    out.push(...smallList(entries, size, ctx))
  }
  return out
}
