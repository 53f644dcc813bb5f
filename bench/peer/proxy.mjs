// A counting TCP proxy: every byte between the simulated devices and the
// server passes through it and is counted at the socket, each way. The
// counts say how many bytes a workload put on the wire; they never decide
// when a workload is done (bench.mjs checks heads for that).
import net from "node:net"

/** Starts a proxy to 127.0.0.1:`target`; resolves to its counters. */
export async function countingProxy(target) {
  const c = { up: 0, down: 0, open: 0, last: performance.now(), port: 0, server: null }
  c.server = net.createServer((client) => {
    c.open++
    const upstream = net.connect(target, "127.0.0.1")
    client.setNoDelay(true)
    upstream.setNoDelay(true)
    client.on("data", (b) => { c.up += b.length; c.last = performance.now() })
    upstream.on("data", (b) => { c.down += b.length; c.last = performance.now() })
    client.pipe(upstream)
    upstream.pipe(client)
    let closed = false
    const end = () => {
      if (!closed) { closed = true; c.open-- }
      client.destroy()
      upstream.destroy()
    }
    for (const s of [client, upstream]) { s.on("error", end); s.on("close", end) }
  })
  await new Promise((ok) => c.server.listen(0, "127.0.0.1", ok))
  c.port = c.server.address().port
  c.reset = () => { c.up = 0; c.down = 0; c.last = performance.now() }
  return c
}

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms))

/** Waits until no byte has passed for `quietMs` (at most `maxMs`), so that
 * trailing protocol messages of a finished workload are counted with it. */
export async function settle(c, quietMs, maxMs) {
  const until = performance.now() + maxMs
  while (performance.now() - c.last < quietMs && performance.now() < until) await sleep(10)
}

/** Waits until every proxied connection has closed; throws after `maxMs`. */
export async function allClosed(c, maxMs) {
  const until = performance.now() + maxMs
  while (c.open > 0) {
    if (performance.now() > until) throw new Error(`${c.open} connections still open after ${maxMs} ms`)
    await sleep(10)
  }
}
