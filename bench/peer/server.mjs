// The peer's sync server, as automerge-repo's reference sync server builds
// it: a Repo with the websocket server adapter and nodefs storage, sharing
// every document. It first imports the case documents that zhifa-bench
// exported from the Rust bench (one `<case id>.automerge` file each), so
// both servers hold identical documents, then prints
// `READY {"port": N, "ids": {"<case id>": "<documentId>"}}`.
// Usage: node server.mjs CASES_DIR DATA_DIR
import fs from "node:fs"
import path from "node:path"
import { WebSocketServer } from "ws"
import { Repo } from "@automerge/automerge-repo"
import { WebSocketServerAdapter } from "@automerge/automerge-repo-network-websocket"
import { NodeFSStorageAdapter } from "@automerge/automerge-repo-storage-nodefs"

const [casesDir, dataDir] = process.argv.slice(2)
if (!casesDir || !dataDir) {
  console.error("usage: node server.mjs CASES_DIR DATA_DIR")
  process.exit(2)
}
const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 })
await new Promise((ok) => wss.on("listening", ok))
const repo = new Repo({
  network: [new WebSocketServerAdapter(wss)],
  storage: new NodeFSStorageAdapter(dataDir),
  peerId: "zhifa-bench-peer-server",
  sharePolicy: async () => true,
})
const ids = {}
for (const file of fs.readdirSync(casesDir).filter((f) => f.endsWith(".automerge")).sort()) {
  const handle = repo.import(new Uint8Array(fs.readFileSync(path.join(casesDir, file))))
  ids[path.basename(file, ".automerge")] = handle.documentId
}
await repo.flush()
console.log("READY " + JSON.stringify({ port: wss.address().port, ids }))
process.on("SIGTERM", async () => {
  await repo.shutdown().catch(() => {})
  process.exit(0)
})
