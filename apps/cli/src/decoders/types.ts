/**
 * A decoder for `bonafide decode`: returns a readable rendering when it recognises the input,
 * undefined when the input is not its format. Throws only for input that is its format but broken.
 */
export interface Decoder {
  readonly name: string
  decode(input: string): Promise<string | undefined> | string | undefined
}
