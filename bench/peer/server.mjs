// The peer's sync server, as automerge-repo's reference sync server
// (automerge-repo-sync-server) builds it: a Repo with the websocket server
// adapter and nodefs storage that syncs a document with any peer asking for
// it by id but announces nothing (sharePolicy false). It first imports the
// case documents zhifa-bench exported from the Rust bench (one
// `<case id>.automerge` file each) under a document id derived from the case
// UUID, so both servers hold identical documents and the bench knows the ids.
// Prints to stdout:
//   READY {"port": N, "ids": {"<case id>": "<documentId>"}, "heads": {"<documentId>": [hex]}}
//   HEADS {"id": "<documentId>", "heads": [hex]}  (each change of a document)
// Exits when its stdin closes (the bench is gone), so it never outlives it.
// Usage: node server.mjs CASES_DIR DATA_DIR
import fs from "node:fs"
import path from "node:path"
import { WebSocketServer } from "ws"
import * as A from "@automerge/automerge"
import { Repo, interpretAsDocumentId } from "@automerge/automerge-repo"
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
  sharePolicy: async () => false,
})
const ids = {}
const heads = {}
for (const file of fs.readdirSync(casesDir).filter((f) => f.endsWith(".automerge")).sort()) {
  const caseId = path.basename(file, ".automerge")
  const docId = interpretAsDocumentId(Buffer.from(caseId.replace(/-/g, ""), "hex"))
  // import with a docId: Automerge.loadIncremental into an empty document, so
  // the server holds exactly the exported changes (no extra initial change).
  const handle = repo.import(new Uint8Array(fs.readFileSync(path.join(casesDir, file))), { docId })
  ids[caseId] = docId
  heads[docId] = A.getHeads(handle.doc())
  handle.on("heads-changed", ({ doc }) => {
    const line = { id: docId, heads: A.getHeads(doc) }
    process.stdout.write("HEADS " + JSON.stringify(line) + "\n")
  })
}
await repo.flush()
process.stdout.write("READY " + JSON.stringify({ port: wss.address().port, ids, heads }) + "\n")

let stopping = false
async function stop() {
  if (stopping) return
  stopping = true
  await repo.shutdown().catch(() => {})
  process.exit(0)
}
process.on("SIGTERM", stop)
process.stdin.on("end", stop)
process.stdin.on("error", stop)
process.stdin.resume()
