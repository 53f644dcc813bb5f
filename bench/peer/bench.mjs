// The peer benchmark: the automerge-repo sync server (server.mjs) serving
// the case documents zhifa-bench exported, and simulated devices (Repos with
// the websocket client adapter) running the workloads of zhifa-bench's own
// sync figures, through a counting TCP proxy:
//   1. an idle check of 50 cases by DEVICES devices (each holding them);
//   2. an officer's day: 300 field edits on 8 cases offline while the office
//      made 50 edits, then the officer's sync;
//   3. a new device fetching the 50 cases.
// Each prints wall time, the server's CPU time (/proc/<pid>/stat utime +
// stime) and bytes on the wire each way, human lines and `BENCH {json}`.
// Usage: node bench.mjs CASES_DIR [--smoke]
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { spawn } from "node:child_process"
import * as A from "@automerge/automerge"
import { Repo } from "@automerge/automerge-repo"
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket"
import { countingProxy, quiet } from "./proxy.mjs"

const args = process.argv.slice(2)
const smoke = args.includes("--smoke")
const casesDir = args.find((a) => !a.startsWith("--"))
if (!casesDir || !fs.existsSync(casesDir)) {
  console.error(`usage: node bench.mjs CASES_DIR [--smoke] (no such folder: ${casesDir})`)
  process.exit(2)
}
const DEVICES = smoke ? 10 : 200
const DAY = smoke ? { cases: 3, edits: 30, office: 5 } : { cases: 8, edits: 300, office: 50 }
const QUIET_MS = 300
const HZ = 100 // clock ticks per second of /proc/<pid>/stat (CLK_TCK on Linux)

function fig(figure, value, unit, target = { op: "none" }) {
  const line = { bench: "peer", figure, value, unit, target, full: !smoke }
  console.log("BENCH " + JSON.stringify(line))
}

function cpuSeconds(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8")
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
  return (Number(f[11]) + Number(f[12])) / HZ
}

// The server, in its own process.
const data = fs.mkdtempSync(path.join(os.tmpdir(), "zhifa-peer-"))
const here = path.dirname(new URL(import.meta.url).pathname)
const server = spawn(process.execPath, [path.join(here, "server.mjs"), casesDir, data], {
  stdio: ["ignore", "pipe", "inherit"],
})
const ready = await new Promise((ok, fail) => {
  let buf = ""
  server.stdout.on("data", (b) => {
    buf += b
    const line = buf.split("\n").find((l) => l.startsWith("READY "))
    if (line) ok(JSON.parse(line.slice(6)))
  })
  server.on("exit", (code) => fail(new Error(`peer server exited with ${code}`)))
})
const ids = ready.ids
const caseIds = Object.keys(ids).sort()
const bytes = Object.fromEntries(
  caseIds.map((c) => [c, new Uint8Array(fs.readFileSync(path.join(casesDir, `${c}.automerge`)))]),
)
console.log(`peer server pid ${server.pid} holds ${caseIds.length} case documents`)
const proxy = await countingProxy(ready.port)
const url = `ws://127.0.0.1:${proxy.port}`

/** Runs `work` (which starts devices) and measures until the wire is quiet. */
async function measure(name, detail, work, per = 1) {
  await quiet(proxy, QUIET_MS)
  proxy.reset()
  const cpu0 = cpuSeconds(server.pid)
  const t0 = Date.now()
  const devices = await work()
  const last = await quiet(proxy, QUIET_MS)
  const r = {
    ms: Math.max(last - t0, 0),
    cpuMs: (cpuSeconds(server.pid) - cpu0) * 1e3,
    up: proxy.up,
    down: proxy.down,
  }
  console.log(
    `== peer: ${name}: ${detail} ==\nwall ${r.ms} ms (to the last byte), server CPU ${r.cpuMs.toFixed(0)} ms, wire up ${r.up} bytes, down ${r.down} bytes`,
  )
  fig(`peer: ${name}: wall time`, r.ms, "ms")
  fig(`peer: ${name}: server CPU`, r.cpuMs, "ms")
  fig(`peer: ${name}: wire bytes`, r.up + r.down, "bytes")
  if (per > 1) {
    fig(`peer: ${name}, per device: wall time`, r.ms / per, "ms")
    fig(`peer: ${name}, per device: server CPU`, r.cpuMs / per, "ms")
    fig(`peer: ${name}, per device: wire bytes`, (r.up + r.down) / per, "bytes")
  }
  for (const d of devices) await d.shutdown().catch(() => {})
  return r
}

const device = () =>
  new Repo({ network: [new WebSocketClientAdapter(url)], sharePolicy: async () => true })

// 1. Idle check: every device holds the same 50 documents and connects.
await measure("idle check", `${caseIds.length} cases by ${DEVICES} devices`, async () => {
  const ds = []
  for (let i = 0; i < DEVICES; i++) {
    const r = device()
    for (const c of caseIds) r.import(bytes[c], { docId: ids[c] })
    ds.push(r)
  }
  return ds
}, DEVICES)

// 2. An officer's day: the office's edits reach the server first, then the
// officer, offline all day, syncs.
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
const dayCases = caseIds.slice(0, DAY.cases)
let typed = 0
/** Edits a case document offline: one field of its first record, as text. */
function edit(doc, text, actor) {
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
for (const c of dayCases) {
  office[c] = A.load(bytes[c], { actor: "0ff1ce".padEnd(32, "0") })
  officer[c] = A.load(bytes[c], { actor: "0ff1ce2".padEnd(32, "0") })
}
for (let i = 0; i < DAY.office; i++) {
  const c = dayCases[(i * 3) % dayCases.length]
  office[c] = edit(office[c], `审核意见：${sentence(2)}`)
}
for (let i = 0; i < DAY.edits; i++) {
  const c = dayCases[i % dayCases.length]
  officer[c] = edit(officer[c], sentence(rand(10) < 3 ? 1 : 2 + rand(3)))
}
const officeRepo = device()
for (const c of dayCases) officeRepo.import(A.save(office[c]), { docId: ids[c] })
await quiet(proxy, QUIET_MS)
const day = await measure("officer's day", `${DAY.edits} edits on ${DAY.cases} cases, ${DAY.office} office edits`, async () => {
  const r = device()
  for (const c of dayCases) r.import(A.save(officer[c]), { docId: ids[c] })
  return [r]
})
await officeRepo.shutdown().catch(() => {})
console.log(`typed text ${typed} bytes; wire / typed ${((day.up + day.down) / typed).toFixed(2)}×`)
fig("peer: officer's day: wire bytes / typed text", (day.up + day.down) / typed, "×")

// 3. A new device fetching every case.
await measure("new device", `fetching ${caseIds.length} cases`, async () => {
  const r = device()
  await Promise.all(caseIds.map((c) => r.find(ids[c])))
  return [r]
})

proxy.server.close()
server.kill("SIGTERM")
fs.rmSync(data, { recursive: true, force: true })
process.exit(0)
