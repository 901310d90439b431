// Shared benchmark helpers: warm-up, several rounds, median and spread, in one process.

/** Run `fn` (sync or async) `iterations` times per round; returns per-op microseconds for each round. */
export async function measure(fn, { iterations = 500, rounds = 7, warmup = 100 } = {}) {
  for (let i = 0; i < warmup; i++) await fn(i)
  const perOp = []
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint()
    for (let i = 0; i < iterations; i++) await fn(i)
    perOp.push(Number(process.hrtime.bigint() - t0) / 1000 / iterations)
  }
  return summarize(perOp)
}

/** Same for synchronous functions, without an await per call. */
export function measureSync(fn, { iterations = 500, rounds = 7, warmup = 100 } = {}) {
  for (let i = 0; i < warmup; i++) fn(i)
  const perOp = []
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint()
    for (let i = 0; i < iterations; i++) fn(i)
    perOp.push(Number(process.hrtime.bigint() - t0) / 1000 / iterations)
  }
  return summarize(perOp)
}

function summarize(perOp) {
  const s = [...perOp].sort((a, b) => a - b)
  const median = s[Math.floor(s.length / 2)]
  return { median, min: s[0], max: s[s.length - 1], spread: (s[s.length - 1] - s[0]) / median }
}

/** Interleave measurements of several candidates round by round, so machine noise hits all alike. */
export async function compare(cands, opts = {}) {
  const rounds = opts.rounds ?? 7
  const results = Object.fromEntries(Object.keys(cands).map((k) => [k, []]))
  for (const [, c] of Object.entries(cands)) for (let i = 0; i < (opts.warmup ?? 50); i++) await c(i)
  for (let r = 0; r < rounds; r++) {
    for (const [name, c] of Object.entries(cands)) {
      const n = opts.iterations?.[name] ?? opts.iterations ?? 300
      const t0 = process.hrtime.bigint()
      for (let i = 0; i < n; i++) await c(i)
      results[name].push(Number(process.hrtime.bigint() - t0) / 1000 / n)
    }
  }
  return Object.fromEntries(Object.entries(results).map(([k, v]) => [k, summarize(v)]))
}

export function fmt(s) {
  return `${s.median.toFixed(1)} µs/op (${(1e6 / s.median).toFixed(0)} ops/s, spread ±${((s.spread * 100) / 2).toFixed(0)}%)`
}

/** ratio = how many times faster `a` is than `b` (b.median / a.median); limitRatio = limit/ours (≤1 means slower than the limit). */
export function ratio(ours, other) {
  return other.median / ours.median
}

export function line(label, value, target) {
  const ok = target === undefined ? '' : value >= target ? '  [meets target ≥ ' + target + ']' : '  [BELOW target ' + target + ']'
  console.log(`${label.padEnd(58)} ${value.toFixed(2)}×${ok}`)
}

/** A free TCP port on loopback. */
export async function freePort() {
  const { createServer } = await import('node:net')
  const s = createServer()
  await new Promise((r) => s.listen(0, '127.0.0.1', r))
  const p = s.address().port
  await new Promise((r) => s.close(r))
  return p
}

/** Run `f(i)` for i < n with at most `c` at a time. */
export async function pool(n, c, f) {
  let next = 0
  await Promise.all(
    Array.from({ length: c }, async () => {
      while (next < n) await f(next++)
    }),
  )
}

/** A fresh PostgreSQL database on 127.0.0.1 (trust auth): its URL and how to drop it. */
export async function pgDatabase(prefix = 'bonafide_bench') {
  const pg = (await import('pg')).default
  const admin = 'postgres://postgres@127.0.0.1:5432/postgres'
  const name = `${prefix}_${process.pid}_${Math.floor(Math.random() * 1e6)}`
  const c = new pg.Client({ connectionString: admin })
  await c.connect()
  await c.query(`create database ${name}`)
  await c.end()
  return {
    url: `postgres://postgres@127.0.0.1:5432/${name}`,
    drop: async () => {
      const d = new pg.Client({ connectionString: admin })
      await d.connect()
      await d.query(`drop database if exists ${name} with (force)`)
      await d.end()
    },
  }
}

/**
 * CPU seconds (user + system) used so far by the process `root` and all its descendants, and by every process
 * named `postgres`, read from /proc (Linux; null elsewhere). Lets a load benchmark say credentials per CPU-second
 * of the agent, which on a small machine shared with the database and the load generator is the honest "per core".
 */
export async function cpuSeconds(root) {
  const { readdirSync, readFileSync } = await import('node:fs')
  let entries
  try {
    entries = readdirSync('/proc').filter((d) => /^\d+$/.test(d))
  } catch {
    return null
  }
  const procs = []
  for (const pid of entries) {
    try {
      const s = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const close = s.lastIndexOf(')')
      const comm = s.slice(s.indexOf('(') + 1, close)
      const f = s.slice(close + 2).split(' ') // f[0] = state (field 3), so field n is f[n - 3]
      procs.push({ pid: Number(pid), comm, ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) })
    } catch {
      // the process ended while we were reading
    }
  }
  const tree = new Set([root])
  for (let grew = true; grew; ) {
    grew = false
    for (const p of procs)
      if (!tree.has(p.pid) && tree.has(p.ppid)) {
        tree.add(p.pid)
        grew = true
      }
  }
  const sum = (pred) => procs.filter(pred).reduce((a, p) => a + p.ticks, 0) / 100 // CLK_TCK is 100 on Linux
  return { agent: sum((p) => tree.has(p.pid)), postgres: sum((p) => p.comm === 'postgres') }
}
