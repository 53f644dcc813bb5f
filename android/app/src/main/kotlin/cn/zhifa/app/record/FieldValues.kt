package cn.zhifa.app.record

import cn.zhifa.ffi.FieldValue
import org.json.JSONArray
import org.json.JSONObject
import org.json.JSONTokener
import java.math.BigDecimal
import java.time.LocalDateTime
import java.time.OffsetDateTime
import java.time.ZoneId
import java.time.temporal.ChronoUnit

/**
 * Conversions between a field's stored JSON value, the text in an input and
 * the [FieldValue] handed to the engine. Pure formatting: whether a value is
 * acceptable is the engine's call (its message comes back on the field), so
 * text that does not parse locally is sent as text and the engine explains.
 */
internal object FieldValues {
    private fun parse(json: String?): Any? =
        json?.let { runCatching { JSONTokener(it).nextValue() }.getOrNull() }?.takeUnless { it == JSONObject.NULL }

    fun text(json: String?): String = when (val v = parse(json)) {
        null -> ""
        is String -> v
        else -> v.toString()
    }

    fun bool(json: String?): Boolean? = parse(json) as? Boolean

    fun list(json: String?): List<String> {
        val array = parse(json) as? JSONArray ?: return emptyList()
        return (0 until array.length()).map { array.opt(it)?.toString().orEmpty() }
    }

    /** Money is stored in fen; the input shows yuan. */
    fun yuan(json: String?): String {
        val fen = (parse(json) as? Number)?.toLong() ?: return ""
        return BigDecimal.valueOf(fen, 2).toPlainString()
    }

    fun integer(input: String): FieldValue =
        input.trim().toLongOrNull()?.let { FieldValue.Integer(it) } ?: FieldValue.Text(input.trim())

    fun money(input: String): FieldValue = runCatching {
        FieldValue.Integer(BigDecimal(input.trim()).movePointRight(2).longValueExact())
    }.getOrElse { FieldValue.Text(input.trim()) }

    /** Accepts RFC 3339 or `YYYY-MM-DD HH:MM` in the phone's time zone. */
    fun dateTime(input: String): FieldValue {
        val s = input.trim()
        val rfc = runCatching { OffsetDateTime.parse(s) }.getOrNull()
            ?: runCatching {
                LocalDateTime.parse(s.replace(' ', 'T')).atZone(ZoneId.systemDefault()).toOffsetDateTime()
            }.getOrNull()
        return FieldValue.Text(rfc?.toString() ?: s)
    }

    fun now(): String = OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString()
}
