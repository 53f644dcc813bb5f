// FFI overhead from Kotlin on the JVM (JNA): the same calls ffi_bench makes
// from Rust, on the home it prepared. Run by bindings/scripts/bench-ffi.sh.
import cn.zhifa.ffi.CaseFilter
import cn.zhifa.ffi.ZhifaApp
import cn.zhifa.ffi.coreVersion

private fun medianNanos(runs: Int, block: () -> Unit): Long {
    val t = LongArray(runs) {
        val s = System.nanoTime()
        block()
        System.nanoTime() - s
    }
    t.sort()
    return t[runs / 2]
}

fun main(args: Array<String>) {
    val home = args[0]
    val rustListMs = args[1].toDouble()
    val rustCallUs = args[2].toDouble()
    val filter = CaseFilter(null, null, null, null, false)
    val app = ZhifaApp.open(home)
    // Warm up the JIT and JNA before measuring.
    repeat(2_000) { coreVersion() }
    repeat(30) { app.listCases(filter) }
    val call = medianNanos(20_000) { coreVersion() } / 1e3
    var rows = 0
    val list = medianNanos(200) { rows = app.listCases(filter).size } / 1e6
    println("kotlin: round trip core_version() median %.2f µs (Rust %.3f µs; overhead %.2f µs per call)".format(call, rustCallUs, call - rustCallUs))
    println("kotlin: list_cases %d rows median %.3f ms = %.2f× the Rust call (%.3f ms; target ≤ 2×)".format(rows, list, list / rustListMs, rustListMs))
    app.close()
}
