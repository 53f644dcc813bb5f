package cn.zhifa.app.ui

import androidx.annotation.StringRes
import androidx.compose.runtime.Composable
import androidx.compose.ui.res.stringResource
import cn.zhifa.app.R
import cn.zhifa.ffi.CoreException

/** Text for the user: either the engine's own (Chinese) words or a resource. */
sealed interface UiText {
    data class Engine(val text: String) : UiText
    data class Res(@StringRes val id: Int, val args: List<Any> = emptyList()) : UiText
}

@Composable
fun UiText.asString(): String = when (this) {
    is UiText.Engine -> text
    is UiText.Res -> stringResource(id, *args.toTypedArray())
}

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

/** What to show for a failure. */
fun Throwable.toUiText(): UiText = when (this) {
    is CoreException -> UiText.Engine(reasonText())
    else -> UiText.Res(R.string.error_unexpected, listOf(localizedMessage ?: javaClass.simpleName))
}
