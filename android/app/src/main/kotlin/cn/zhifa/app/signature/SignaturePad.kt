package cn.zhifa.app.signature

import androidx.compose.foundation.Canvas
import androidx.compose.foundation.background
import androidx.compose.foundation.border
import androidx.compose.foundation.gestures.awaitEachGesture
import androidx.compose.foundation.gestures.awaitFirstDown
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.height
import androidx.compose.material3.MaterialTheme
import androidx.compose.runtime.Composable
import androidx.compose.runtime.Stable
import androidx.compose.runtime.mutableStateListOf
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.getValue
import androidx.compose.runtime.setValue
import androidx.compose.ui.ExperimentalComposeUiApi
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.graphics.Path
import androidx.compose.ui.graphics.StrokeCap
import androidx.compose.ui.graphics.StrokeJoin
import androidx.compose.ui.graphics.drawscope.Stroke
import androidx.compose.ui.input.pointer.PointerInputChange
import androidx.compose.ui.input.pointer.pointerInput
import androidx.compose.ui.layout.onSizeChanged
import androidx.compose.ui.unit.IntSize
import androidx.compose.ui.unit.dp
import cn.zhifa.ffi.PadPoint
import cn.zhifa.ffi.SignaturePad

/**
 * Strokes drawn on the pad, each point with its time (ms since the first
 * touch) and pressure, as the engine's [SignaturePad] wants them.
 */
@Stable
class SignaturePadState {
    val strokes = mutableStateListOf<List<PadPoint>>()
    private val current = mutableStateListOf<PadPoint>()
    var size by mutableStateOf(IntSize.Zero)
    private var startUptime: Long? = null

    val isEmpty: Boolean get() = strokes.isEmpty() && current.isEmpty()

    internal val drawing: List<List<PadPoint>> get() = if (current.isEmpty()) strokes else strokes + listOf(current.toList())

    /**
     * Adds the change's batched samples, then the change itself.
     * [PointerInputChange.historical] is @ExperimentalComposeUiApi in Compose UI 1.7.
     */
    @OptIn(ExperimentalComposeUiApi::class)
    internal fun add(change: PointerInputChange) {
        val pressure = change.pressure.coerceIn(0f, 1f)
        change.historical.forEach { addAt(it.position.x, it.position.y, it.uptimeMillis, pressure) }
        addAt(change.position.x, change.position.y, change.uptimeMillis, pressure)
    }

    private fun addAt(x: Float, y: Float, uptime: Long, pressure: Float) {
        val start = startUptime ?: uptime.also { startUptime = it }
        current += PadPoint(x = x, y = y, t = (uptime - start).coerceAtLeast(0L).toUInt(), pressure = pressure)
    }

    internal fun endStroke() {
        if (current.isNotEmpty()) strokes += current.toList()
        current.clear()
    }

    fun clear() {
        strokes.clear()
        current.clear()
        startUptime = null
    }

    /** The pad for [cn.zhifa.core.FieldApp.sign], or null when nothing was drawn. */
    fun toPad(): SignaturePad? = if (strokes.isEmpty()) null else SignaturePad(
        width = size.width.toUInt(),
        height = size.height.toUInt(),
        strokes = strokes.toList(),
    )
}

@Composable
fun rememberSignaturePadState(): SignaturePadState = remember { SignaturePadState() }

/** A white pad that records pen-down to pen-up strokes. */
@Composable
fun SignaturePadView(state: SignaturePadState, modifier: Modifier = Modifier) {
    val ink = Color(0xFF101828)
    val outline = MaterialTheme.colorScheme.outline
    Canvas(
        modifier = modifier
            .fillMaxWidth()
            .height(220.dp)
            .background(Color.White)
            .border(1.dp, outline)
            .onSizeChanged { state.size = it }
            .pointerInput(state) {
                awaitEachGesture {
                    val down = awaitFirstDown()
                    down.consume()
                    state.add(down)
                    val id = down.id
                    while (true) {
                        val event = awaitPointerEvent()
                        val change = event.changes.firstOrNull { it.id == id } ?: break
                        if (!change.pressed) break
                        state.add(change)
                        change.consume()
                    }
                    state.endStroke()
                }
            },
    ) {
        val width = 3.dp.toPx()
        state.drawing.forEach { stroke ->
            if (stroke.isEmpty()) return@forEach
            val path = Path().apply {
                moveTo(stroke.first().x, stroke.first().y)
                stroke.drop(1).forEach { lineTo(it.x, it.y) }
                if (stroke.size == 1) lineTo(stroke.first().x + 0.1f, stroke.first().y)
            }
            drawPath(path, color = ink, style = Stroke(width = width, cap = StrokeCap.Round, join = StrokeJoin.Round))
        }
    }
}
