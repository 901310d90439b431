import { type ClaimPath, type ClaimPathInput, formatClaimPath, parseClaimPath } from './claim-path.js'
import { SdJwtError } from './errors.js'

/** A trie of disclosable paths: which nodes of the claims become disclosures. */
export interface FrameNode {
  sd: boolean
  /** `[this]`, allocated once: the common single-match result of frameChildren. */
  readonly alone: FrameNode[]
  readonly children: Map<string | number, FrameNode>
  any?: FrameNode
  readonly paths: ClaimPath[]
}

function node(): FrameNode {
  const n: FrameNode = { sd: false, alone: [], children: new Map(), paths: [] }
  n.alone.push(n)
  return n
}

const NO_CHILDREN: FrameNode[] = []
const compiled = new WeakMap<readonly ClaimPathInput[], FrameNode>()

/** compileFrame, cached per paths array (issuers reuse one configuration for many credentials). */
export function cachedFrame(paths: readonly ClaimPathInput[]): FrameNode {
  let f = compiled.get(paths)
  if (!f) compiled.set(paths, (f = compileFrame(paths)))
  return f
}

/** Compile claim paths ("these claim paths are selectively disclosable") into a trie. */
export function compileFrame(paths: readonly ClaimPathInput[]): FrameNode {
  const root = node()
  for (const input of paths) {
    const path = parseClaimPath(input)
    let n = root
    for (const seg of path) {
      if (seg === null) n = n.any ??= node()
      else {
        let c = n.children.get(seg)
        if (!c) n.children.set(seg, (c = node()))
        n = c
      }
    }
    n.sd = true
    n.paths.push(path)
  }
  return root
}

/** Children of a frame node that apply to a key or index (exact and wildcard). */
export function frameChildren(n: FrameNode | undefined, key: string | number): FrameNode[] {
  if (!n || (n.children.size === 0 && !n.any)) return NO_CHILDREN
  const c = n.children.get(key)
  if (typeof key === 'string' ? !/^(0|[1-9]\d{0,8})$/.test(key) : !n.any) return c ? c.alone : NO_CHILDREN
  const out: FrameNode[] = []
  if (c) out.push(c)
  // A dotted path's numeric segment also names an object member ("age_equal_or_over.18").
  if (typeof key === 'string' && /^(0|[1-9]\d{0,8})$/.test(key)) {
    const numeric = n.children.get(Number(key))
    if (numeric) out.push(numeric)
  }
  if (typeof key === 'number' && n.any) out.push(n.any)
  return out
}

/** After issuing: every requested path must have matched something (deterministic error naming it). */
export function assertFrameUsed(root: FrameNode, hit: ReadonlySet<FrameNode>): void {
  const stack: FrameNode[] = [root]
  while (stack.length) {
    const n = stack.pop() as FrameNode
    if (n.sd && !hit.has(n)) {
      throw new SdJwtError(
        'sd_jwt.path_not_found',
        `disclosable path ${formatClaimPath(n.paths[0] ?? [])} is not in the claims`,
        {
          details: { path: n.paths[0] },
        },
      )
    }
    stack.push(...n.children.values())
    if (n.any) stack.push(n.any)
  }
}
