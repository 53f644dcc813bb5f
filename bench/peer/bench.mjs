// The peer benchmark: the automerge-repo sync server (server.mjs) serving
// the case documents zhifa-bench exported, and simulated devices (Repos with
// the websocket client adapter) running the workloads of zhifa-bench's own
// sync figures, through a counting TCP proxy (proxy.mjs):
//   1. idle check: DEVICES devices, each already holding every case document
//      (same heads as the server), connect concurrently and sync; then 20
//      single-device checks in a row (their median);
//   2. an officer's day: edits on the day's cases offline while the office
//      made edits that reached the server first, then the officer's sync;
//   3. a new device fetching every case document.
// A workload ends when its work is done, checked with heads, not with a timer:
//   1. every device has heard the server's heads equal its own for every doc
//      (the sync state's theirHeads);
//   2. the officer's device holds the merged heads and has heard the server
//      hold them too (the server's HEADS lines must agree);
//   3. the new device holds every document at the server's heads.
// Bytes each way are counted at the proxy until the wire settles after that
// (so trailing protocol messages count); server CPU is /proc/<pid>/stat
// utime + stime. Device set-up (loading the documents into every device
// Repo, ~15 s for 200 devices) happens before a workload's clock starts.
// Human lines and `BENCH {json}` lines. Each workload fails after 120 s
// (exit 1, the server killed), never hangs; the server also exits when this
// process goes away (its stdin closes).
// Usage: node bench.mjs CASES_DIR [--smoke]
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import readline from "node:readline"
import { spawn } from "node:child_process"
import * as A from "@automerge/automerge"
import { Repo } from "@automerge/automerge-repo"
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket"
import { countingProxy, settle, allClosed } from "./proxy.mjs"

const args = process.argv.slice(2)
const smoke = args.includes("--smoke")
const casesDir = args.find((a) => !a.startsWith("--"))
if (!casesDir || !fs.existsSync(casesDir)) {
  console.error(`usage: node bench.mjs CASES_DIR [--smoke] (no such folder: ${casesDir})`)
  process.exit(2)
}
const DEVICES = smoke ? 10 : 200
const RECONNECTS = 20 // sequential single-device idle checks
const DAY = smoke ? { cases: 3, edits: 30, office: 5 } : { cases: 8, edits: 300, office: 50 }
const DEADLINE_MS = 120_000 // per workload
const SETTLE_MS = 250 // wire quiet this long after a workload: its bytes are all counted
const RETRY_MS = 60_000 // client reconnect interval (default 5 s would open a 2nd socket under load)
const SERVER_PEER = "zhifa-bench-peer-server"
const HZ = 100 // clock ticks per second of /proc/<pid>/stat (CLK_TCK on Linux)
const now = () => performance.now() // ms; every time compared is taken in this process
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms))
const same = (a, b) => !!a && !!b && a.length === b.length && [...a].sort().join() === [...b].sort().join()

function fig(figure, value, unit, target = { op: "none" }) {
  const line = { bench: "peer", figure, value: Math.round(value * 1000) / 1000, unit, target, full: !smoke }
  console.log("BENCH " + JSON.stringify(line))
}

function cpuMs(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8")
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
  return ((Number(f[11]) + Number(f[12])) / HZ) * 1e3
}

/** `p`, or an error naming `what` after `ms`. */
function deadline(p, ms, what) {
  let timer
  const t = new Promise((_, no) => {
    timer = setTimeout(() => no(new Error(`${what}: not done after ${ms / 1000} s`)), ms)
  })
  return Promise.race([p, t]).finally(() => clearTimeout(timer))
}

// ---- the server, in its own process (it exits when our stdin pipe to it closes)
const data = fs.mkdtempSync(path.join(os.tmpdir(), "zhifa-peer-"))
const here = path.dirname(new URL(import.meta.url).pathname)
const server = spawn(process.execPath, [path.join(here, "server.mjs"), casesDir, data], {
  stdio: ["pipe", "pipe", "inherit"],
})
process.on("exit", () => {
  server.kill("SIGKILL")
  fs.rmSync(data, { recursive: true, force: true })
})
let failed = false
/** Reports `err`, stops the server (then the exit hook removes its data), exits 1. */
async function fail(err) {
  if (failed) return
  failed = true
  console.error(`peer bench failed: ${err?.stack ?? err}`)
  if (server.exitCode === null && server.signalCode === null) {
    server.kill("SIGKILL")
    await Promise.race([new Promise((ok) => server.once("exit", ok)), sleep(2_000)])
  }
  process.exit(1)
}
process.on("uncaughtException", fail) // also what a top-level throw ends in
process.on("unhandledRejection", fail)
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => fail(new Error(`interrupted (${sig})`)))

// The server's current heads of each document, from its HEADS lines, and
// waiters for a document to reach given heads.
const serverHeads = {}
const serverAt = {} // when (our clock) the latest HEADS line of a document came in
let waiters = []
let headsLines = 0 // changes the server reported (none may happen in an idle check)
const ready = deadline(new Promise((ok, no) => {
  readline.createInterface({ input: server.stdout }).on("line", (line) => {
    if (line.startsWith("READY ")) {
      const r = JSON.parse(line.slice(6))
      Object.assign(serverHeads, r.heads)
      ok(r)
    } else if (line.startsWith("HEADS ")) {
      const { id, heads } = JSON.parse(line.slice(6))
      serverHeads[id] = heads
      serverAt[id] = now()
      headsLines++
      waiters = waiters.filter((w) => !(w.id === id && same(w.heads, heads) && (w.ok(serverAt[id]), true)))
    }
  })
  server.on("exit", (code, sig) => no(new Error(`peer server exited (${code ?? sig})`)))
}), 60_000, "peer server start")
/** Resolves once the server reported that its document `id` is at `heads`,
 * with the time its report came in (a little after the server got there). */
function serverReaches(id, heads) {
  if (same(serverHeads[id], heads)) return Promise.resolve(serverAt[id] ?? now())
  return new Promise((ok) => waiters.push({ id, heads, ok }))
}
const { port, ids } = await ready
server.on("exit", (code, sig) => fail(new Error(`peer server exited (${code ?? sig})`)))

// The case documents as exported: the devices load these very bytes.
const caseIds = Object.keys(ids).sort()
const docIds = caseIds.map((c) => ids[c])
const bytes = Object.fromEntries(
  caseIds.map((c) => [ids[c], new Uint8Array(fs.readFileSync(path.join(casesDir, `${c}.automerge`)))]),
)
const heads = Object.fromEntries(docIds.map((d) => [d, A.getHeads(A.load(bytes[d]))]))
for (const d of docIds) {
  if (!same(heads[d], serverHeads[d])) throw new Error(`server heads of ${d} differ from the export`)
}
console.log(`peer server pid ${server.pid} holds ${caseIds.length} case documents (same heads as the export)`)
const proxy = await countingProxy(port)
const url = `ws://127.0.0.1:${proxy.port}`

// ---- devices
/** A device Repo holding `docs` ({docId: bytes}), not yet connected. */
function device(docs = {}) {
  const repo = new Repo({ network: [], sharePolicy: async () => true })
  for (const [d, b] of Object.entries(docs)) {
    // import with docId: loadIncremental into an empty doc, the handle turns ready
    const h = repo.import(b, { docId: d })
    if (!h.isReady()) throw new Error(`device import of ${d} not ready`)
  }
  // The heads the server last told this device it has, per document.
  const theirs = {}
  let onSync = () => {}
  repo.synchronizer.on("sync-state", ({ peerId, syncState, documentId }) => {
    if (peerId !== SERVER_PEER) return
    theirs[documentId] = syncState.theirHeads
    onSync()
  })
  return {
    repo,
    connect() {
      this.adapter = new WebSocketClientAdapter(url, RETRY_MS)
      repo.networkSubsystem.addNetworkAdapter(this.adapter)
    },
    /** Resolves with the time the server confirmed `want` ({docId: heads}) for every doc. */
    confirmed(want) {
      return new Promise((ok) => {
        onSync = () => {
          if (Object.entries(want).every(([d, h]) => same(theirs[d], h))) { onSync = () => {}; ok(now()) }
        }
        onSync()
      })
    },
    /** Closes the connection (only once open: closing a connecting ws throws). */
    disconnect() {
      const s = this.adapter?.socket
      if (!s) return
      s.on?.("error", () => {})
      if (s.readyState === 1) repo.networkSubsystem.removeNetworkAdapter(this.adapter)
      else s.terminate?.()
      this.adapter = undefined
    },
  }
}

/** Resolves with the time `handle` holds `want` heads. */
function handleReaches(handle, want) {
  const has = () => handle.isReady() && same(A.getHeads(handle.doc()), want)
  if (has()) return Promise.resolve(now())
  return new Promise((ok) => {
    const check = () => { if (has()) { handle.off("heads-changed", check); ok(now()) } }
    handle.on("heads-changed", check)
  })
}

/** Measures one workload: `work()` starts it at t0 and resolves with the
 * time it was done; bytes and server CPU are read once the wire settles. */
async function measure(name, detail, work, per = 1) {
  await settle(proxy, SETTLE_MS, 5_000)
  proxy.reset()
  const cpu0 = cpuMs(server.pid)
  const t0 = now()
  const done = await deadline(work(), DEADLINE_MS, `peer: ${name}`)
  await settle(proxy, SETTLE_MS, 5_000)
  const r = { ms: done - t0, cpuMs: cpuMs(server.pid) - cpu0, up: proxy.up, down: proxy.down }
  console.log(`== peer: ${name}: ${detail} ==`)
  console.log(
    `wall ${r.ms.toFixed(1)} ms (to done), server CPU ${r.cpuMs.toFixed(0)} ms, wire up ${r.up} bytes, down ${r.down} bytes`,
  )
  fig(`peer: ${name}: wall time`, r.ms, "ms")
  fig(`peer: ${name}: server CPU`, r.cpuMs, "ms")
  fig(`peer: ${name}: wire bytes`, r.up + r.down, "bytes")
  if (per > 1) {
    fig(`peer: ${name}, per device: wall time`, r.ms / per, "ms")
    fig(`peer: ${name}, per device: server CPU`, r.cpuMs / per, "ms")
    fig(`peer: ${name}, per device: wire bytes`, (r.up + r.down) / per, "bytes")
  }
  return r
}

/** Disconnects `devs` and waits until the proxy saw every connection close. */
async function closeAll(devs) {
  for (const d of devs) d.disconnect()
  await allClosed(proxy, 10_000)
  await sleep(50) // let the server handle the disconnects before the next workload
}

// ---- 1. Idle check: every device holds the same documents and connects.
{
  const devs = Array.from({ length: DEVICES }, () => device(bytes))
  const changes0 = headsLines
  await measure("idle check", `${caseIds.length} cases by ${DEVICES} devices connecting concurrently`, async () => {
    const all = devs.map((d) => d.confirmed(heads))
    for (const d of devs) d.connect()
    return Math.max(...(await Promise.all(all)))
  }, DEVICES)
  await closeAll(devs)
  if (headsLines !== changes0) throw new Error("a document changed on the server during the idle check")

  // One device checking alone, RECONNECTS times in a row (after a warm-up):
  // each time a fresh Repo holding the documents (set up before t0) connects
  // and syncs. A fresh Repo has a new random peerId, as every automerge-repo
  // app start does; reusing one Repo's connection would not do: the server
  // keeps that peer's sync state in memory and, nothing having changed,
  // answers nothing, so the device could never tell the check is done.
  const times = []
  const bytesPer = []
  for (let i = 0; i <= RECONNECTS; i++) {
    const one = device(bytes)
    proxy.reset()
    const t0 = now()
    const done = one.confirmed(heads)
    one.connect()
    const t1 = await deadline(done, DEADLINE_MS, "peer: idle check, one device")
    await settle(proxy, 50, 1_000)
    if (i > 0) { times.push(t1 - t0); bytesPer.push(proxy.up + proxy.down) }
    await closeAll([one])
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
  console.log(
    `one device, ${RECONNECTS} sequential reconnect checks: median ${median(times).toFixed(2)} ms, ` +
      `min ${Math.min(...times).toFixed(2)} ms, max ${Math.max(...times).toFixed(2)} ms, median wire ${median(bytesPer)} bytes`,
  )
  fig("peer: idle check, one device: wall time", median(times), "ms")
}

// ---- 2. An officer's day: the office's edits reach the server first, then
// the officer, offline all day, syncs.
const PHRASES = [
  "档案库房温湿度记录不完整", "现场查看了档案柜和消防设施", "当事人对检查结果无异议",
  "要求十五日内完成整改并书面报告", "库房内未发现明显安全隐患", "电子档案备份未按规定异地保存",
  "已向当事人出示执法证件并说明来意", "检查人员二名，记录人一名", "部分案卷目录与实物不符",
  "档案移交清单签字手续不全",
]
let seed = 20260302
const rand = (n) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n)
const sentence = (parts) => Array.from({ length: parts }, () => PHRASES[rand(PHRASES.length)]).join("，")
const KEYS = ["place", "present_person", "problems", "rectification", "findings"]
const dayDocs = docIds.slice(0, DAY.cases)
let typed = 0 // UTF-8 bytes of typed text, officer and office (as sync_bench counts it)
/** Edits a case document offline: one field of its first record, as text. */
function edit(doc, text) {
  typed += Buffer.byteLength(text)
  return A.change(doc, { time: 0 }, (d) => {
    const rec = d.records && Object.values(d.records)[0]
    const fields = rec && rec.fields
    const key = KEYS[rand(KEYS.length)]
    if (fields) fields[key] = new A.ImmutableString(text)
    else (d.bench_fields ??= {})[key] = new A.ImmutableString(text)
  })
}
const office = {}
const officer = {}
for (const d of dayDocs) {
  office[d] = A.load(bytes[d], { actor: "0ff1ce".padEnd(32, "0") })
  officer[d] = A.load(bytes[d], { actor: "0ff1ce2".padEnd(32, "0") })
}
for (let i = 0; i < DAY.office; i++) {
  const d = dayDocs[(i * 3) % dayDocs.length]
  office[d] = edit(office[d], `审核意见：${sentence(2)}`)
}
for (let i = 0; i < DAY.edits; i++) {
  const d = dayDocs[i % dayDocs.length]
  officer[d] = edit(officer[d], sentence(rand(10) < 3 ? 1 : 2 + rand(3)))
}
const pick = (docs, f) => Object.fromEntries(dayDocs.map((d) => [d, f(docs[d], d)]))
const officeHeads = pick(office, (doc) => A.getHeads(doc))
const merged = pick(office, (doc, d) => A.getHeads(A.merge(A.clone(doc), A.clone(officer[d]))))
{
  // The office's sync, not measured: done when the server holds its edits.
  const o = device(pick(office, (doc) => A.save(doc)))
  const ok = Promise.all([o.confirmed(officeHeads), ...dayDocs.map((d) => serverReaches(d, officeHeads[d]))])
  o.connect()
  await deadline(ok, DEADLINE_MS, "peer: office sync before the officer's day")
  await settle(proxy, SETTLE_MS, 5_000)
  await closeAll([o])
}
const dev = device(pick(officer, (doc) => A.save(doc)))
let converged = 0
const day = await measure("officer's day", `${DAY.edits} edits on ${DAY.cases} cases, ${DAY.office} office edits`, async () => {
  const handles = dayDocs.map((d) => dev.repo.handles[d])
  const t0 = now()
  dev.connect()
  // Done when the officer's device holds the merged heads (it has the
  // office's edits) and has heard the server say it holds them too (the
  // server has the officer's edits), as zhifa's evening sync ends with the
  // server's answer.
  const [confirmed, ...t] = await Promise.all([
    dev.confirmed(merged),
    ...handles.map((h) => handleReaches(h, merged[h.documentId])),
    ...dayDocs.map((d) => serverReaches(d, merged[d])),
  ])
  converged = Math.max(...t) - t0
  return Math.max(confirmed, ...t)
})
// automerge-repo sends a document's sync messages at most once per 100 ms
// (DocSynchronizer.syncDebounceRate): the server's confirmation may lag.
console.log(`(both sides held the merged heads ${converged.toFixed(1)} ms after connecting; the wall time ends when the device heard the server confirm them)`)
await closeAll([dev])
console.log(`typed text ${typed} bytes; wire / typed ${((day.up + day.down) / typed).toFixed(2)}×`)
fig("peer: officer's day: wire bytes / typed text", (day.up + day.down) / typed, "×")

// ---- 3. A new device fetching every case at the server's current heads.
{
  const want = Object.fromEntries(docIds.map((d) => [d, serverHeads[d]]))
  const n = device()
  await measure("new device", `fetching ${caseIds.length} cases`, async () => {
    n.connect()
    const hs = await Promise.all(docIds.map((d) => n.repo.find(d)))
    return Math.max(...(await Promise.all(hs.map((h) => handleReaches(h, want[h.documentId])))))
  })
  await closeAll([n])
}

proxy.server.close()
server.removeAllListeners("exit")
server.stdin.end() // the server flushes and exits
await deadline(new Promise((ok) => server.on("exit", ok)), 10_000, "peer server exit").catch(() => {})
process.exit(0)
