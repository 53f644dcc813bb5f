package cn.zhifa.app.ui

import android.os.Build
import androidx.compose.foundation.isSystemInDarkTheme
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.darkColorScheme
import androidx.compose.material3.dynamicDarkColorScheme
import androidx.compose.material3.dynamicLightColorScheme
import androidx.compose.material3.lightColorScheme
import androidx.compose.runtime.Composable
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.platform.LocalContext
import cn.zhifa.ffi.DeadlineState

private val Navy = Color(0xFF1F3A68)

@Composable
fun ZhifaTheme(content: @Composable () -> Unit) {
    val dark = isSystemInDarkTheme()
    val context = LocalContext.current
    val colors = when {
        Build.VERSION.SDK_INT >= Build.VERSION_CODES.S ->
            if (dark) dynamicDarkColorScheme(context) else dynamicLightColorScheme(context)
        dark -> darkColorScheme(primary = Color(0xFFAFC6FF))
        else -> lightColorScheme(primary = Navy)
    }
    MaterialTheme(colorScheme = colors, content = content)
}

/**
 * Colours of a deadline badge by the engine's [DeadlineState]. The `when`
 * has no `else`: a state the engine adds fails to compile here.
 */
object DeadlineColors {
    val Ok = Color(0xFF2E7D32)
    val Soon = Color(0xFFF9A825)
    val Today = Color(0xFFEF6C00)
    val Overdue = Color(0xFFC62828)

    fun of(state: DeadlineState): Color = when (state) {
        DeadlineState.ON_TIME -> Ok
        DeadlineState.DUE_SOON -> Soon
        DeadlineState.DUE_TODAY -> Today
        DeadlineState.OVERDUE -> Overdue
    }
}
