package cn.zhifa.app.ui

import androidx.annotation.StringRes
import androidx.compose.runtime.Composable
import androidx.compose.ui.res.stringResource
import cn.zhifa.app.R
import cn.zhifa.core.reasonText
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

/** What to show for a failure. */
fun Throwable.toUiText(): UiText = when (this) {
    is CoreException -> UiText.Engine(reasonText())
    else -> UiText.Res(R.string.error_unexpected, listOf(localizedMessage ?: javaClass.simpleName))
}
