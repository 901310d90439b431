/** An agent API error: RFC 9457 problem details with a stable `code`. Messages never echo input. */
export class ApiProblem extends Error {
  override name = 'ApiProblem'
  readonly status: number
  readonly code: string
  readonly errors: readonly { path: string; message: string }[] | undefined
  /** What the caller can do about it (e.g. how to trust an issuer). */
  readonly hint: string | undefined

  constructor(
    status: number,
    code: string,
    detail: string,
    errors?: readonly { path: string; message: string }[],
    hint?: string,
  ) {
    super(detail)
    this.status = status
    this.code = code
    this.errors = errors
    this.hint = hint
  }
}

export const notFound = (what: string) => new ApiProblem(404, 'agent.not_found', `no such ${what}`)
