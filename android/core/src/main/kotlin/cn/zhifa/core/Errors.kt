package cn.zhifa.core

import cn.zhifa.ffi.CoreException

/**
 * The Chinese reason the engine gave. The generated `message` reads
 * `reason=...`, so the UI shows the `reason` field itself.
 */
fun CoreException.reasonText(): String = when (this) {
    is CoreException.InvalidInput -> reason
    is CoreException.NotFound -> reason
    is CoreException.Sealed -> reason
    is CoreException.CalendarOutOfRange -> reason
    is CoreException.Corrupted -> reason
    is CoreException.DiskFull -> reason
    is CoreException.Storage -> reason
    is CoreException.LoginRequired -> reason
    is CoreException.WrongPassword -> reason
    is CoreException.Forbidden -> reason
    is CoreException.Offline -> reason
    is CoreException.Server -> reason
}
