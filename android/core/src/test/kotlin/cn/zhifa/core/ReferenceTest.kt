package cn.zhifa.core

import cn.zhifa.ffi.CoreException
import cn.zhifa.ffi.FieldType
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import kotlin.test.assertFailsWith

class ReferenceTest {
    private val ref = Reference()

    @Test
    fun `counts working days over National Day`() = runBlocking {
        assertEquals("2024-10-12", ref.due("working_days", "2024-09-30", 5))
        assertEquals("2024-09-30", ref.workingDaysBefore("2024-10-12", 5))
    }

    @Test
    fun `bad input arrives as typed exceptions with Chinese messages`() {
        val e = assertFailsWith<CoreException.InvalidInput> { runBlocking { ref.due("fortnights", "2024-09-30", 5) } }
        assertTrue(e.message!!.contains("未知的计算规则"))
        assertFailsWith<CoreException.CalendarOutOfRange> { runBlocking { ref.due("working_days", "2040-01-01", 5) } }
    }

    @Test
    fun `templates and rules are listed`() = runBlocking {
        val inspection = ref.templates().first { it.id == "inspection_record" }
        assertEquals("现场检查笔录", inspection.name)
        assertTrue(inspection.avRequired)
        assertTrue(inspection.signers.any { it.role == "party" && it.refusable })
        val types = inspection.fields.associate { it.key to it.fieldType }
        assertEquals(FieldType.BOOL, types["credentials_shown"])
        assertEquals(FieldType.DATE_TIME, types["inspected_at"])
        assertEquals("working_days", ref.rules().first().name)
    }

    @Test
    fun `identity numbers are masked and the version is known`() {
        assertEquals("130***********1234", ref.masked("130702199001011234"))
        assertEquals(2, ref.version().count { it == '.' })
    }
}
