import { readTokenArg } from '../args.js'
import { decoders } from '../decoders/index.js'
import type { Command } from '../io.js'

export const decode: Command = {
  name: 'decode',
  summary: 'pretty-print a JWT, SD-JWT, mdoc or status list without verifying',
  async run(args, io) {
    if (args.includes('--help')) {
      io.out('bonafide decode TOKEN|-')
      return 0
    }
    const input = await readTokenArg(args[0], io)
    for (const d of decoders) {
      const out = await d.decode(input)
      if (out !== undefined) {
        io.out(out)
        return 0
      }
    }
    io.err('bonafide decode: input is not a recognised JWT, SD-JWT, mdoc or status list')
    return 1
  },
}
