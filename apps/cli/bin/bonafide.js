#!/usr/bin/env node
// Committed launcher so that npm links the `bonafide` bin at install time, before `prepare` builds dist/.
import '../dist/bin.js'
