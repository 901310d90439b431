import { link, readFile, rm, writeFile } from 'node:fs/promises'
import { WalletError } from './errors.js'

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * A lock file shared by processes (`O_EXCL` create, holder's pid inside). A lock left by a process
 * that died (killed mid-write) is taken over; a live holder is waited for up to `timeoutMs`.
 * (Two waiters taking over the same dead holder's lock at the same instant could both win; a
 * wallet is one user's, so this is left as a documented limit rather than a second lock.)
 */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (let wait = 2; ; wait = Math.min(wait * 2, 50)) {
    // The lock appears with its content in one step (hard link of a written file), so a holder
    // killed at any moment leaves either no lock or one naming its pid.
    const mine = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}`
    await writeFile(mine, String(process.pid), { mode: 0o600 })
    try {
      await link(mine, path)
      break
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim())
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !alive(pid)) {
        await rm(path, { force: true })
        continue
      }
      if (Date.now() > deadline) throw new WalletError('wallet.store_locked', 'the wallet is locked by another process')
      await new Promise((r) => setTimeout(r, wait))
    } finally {
      await rm(mine, { force: true })
    }
  }
  try {
    return await fn()
  } finally {
    await rm(path, { force: true })
  }
}
