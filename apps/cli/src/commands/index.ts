import type { Command } from '../io.js'
import { decode } from './decode.js'
import { keygen } from './keygen.js'

/** Every `bonafide` command. One line per command module. */
export const commands: Command[] = [keygen, decode]
