// Run every benchmark under bench/ in turn (each in its own process, so one's warm caches never help another)
// and stop at the first that fails. Run: npm run bench   (npm install builds first)
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const only = process.argv.slice(2)
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort()
for (const f of files) {
  console.log(`\n=== ${f}`)
  const r = spawnSync(process.execPath, [join(here, f)], { stdio: 'inherit' })
  if (r.status !== 0) {
    console.error(`${f} failed (exit ${r.status})`)
    process.exit(1)
  }
}
console.log(`\n${files.length} benchmarks ran`)
