// A counting TCP proxy: every byte between the simulated devices and a
// server passes through it and is counted at the socket, each way.
import net from "node:net"

/** Starts a proxy to 127.0.0.1:`target`; resolves to its counters. */
export async function countingProxy(target) {
  const c = { up: 0, down: 0, last: Date.now(), port: 0, server: null }
  c.server = net.createServer((client) => {
    const upstream = net.connect(target, "127.0.0.1")
    client.on("data", (b) => { c.up += b.length; c.last = Date.now() })
    upstream.on("data", (b) => { c.down += b.length; c.last = Date.now() })
    client.pipe(upstream)
    upstream.pipe(client)
    const end = () => { client.destroy(); upstream.destroy() }
    client.on("error", end)
    upstream.on("error", end)
    client.on("close", end)
    upstream.on("close", end)
  })
  await new Promise((ok) => c.server.listen(0, "127.0.0.1", ok))
  c.port = c.server.address().port
  c.reset = () => { c.up = 0; c.down = 0; c.last = Date.now() }
  return c
}

/** Resolves once no byte has passed for `quietMs`; the time of the last byte. */
export async function quiet(c, quietMs) {
  for (;;) {
    await new Promise((ok) => setTimeout(ok, 20))
    if (Date.now() - c.last >= quietMs) return c.last
  }
}
