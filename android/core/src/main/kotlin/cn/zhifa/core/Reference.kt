package cn.zhifa.core

import cn.zhifa.ffi.DeadlineRuleInfo
import cn.zhifa.ffi.TemplateInfo
import cn.zhifa.ffi.coreVersion
import cn.zhifa.ffi.deadlineAdd
import cn.zhifa.ffi.deadlineBefore
import cn.zhifa.ffi.deadlineRules
import cn.zhifa.ffi.maskIdNumber
import cn.zhifa.ffi.recordTemplates
import cn.zhifa.ffi.rightsOptions
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext

/**
 * Reference data the UI needs offline: record templates, statutory period
 * counting and masking. Every call is main-safe: the engine runs on [io].
 */
class Reference(private val io: CoroutineDispatcher = Dispatchers.IO) {
    /** The engine's version, for the about screen. */
    fun version(): String = coreVersion()

    /** Every record template (文书模板) with its fields and signers. */
    suspend fun templates(): List<TemplateInfo> = withContext(io) { recordTemplates() }

    /** The counting rules the deadline calculator offers. */
    suspend fun rules(): List<DeadlineRuleInfo> = withContext(io) { deadlineRules() }

    /** Due date (YYYY-MM-DD) of [n] units of [rule] from [start]. */
    suspend fun due(rule: String, start: String, n: Long): String = withContext(io) { deadlineAdd(rule, start, n) }

    /** The latest day [n] working days before [date]. */
    suspend fun workingDaysBefore(date: String, n: Long): String = withContext(io) { deadlineBefore(date, n) }

    /** The rights a party can be told of, as [FieldApp.notifyRights] takes them. */
    fun rights(): List<String> = rightsOptions()

    /** An identity number as any screen shows it. */
    fun masked(idNumber: String): String = maskIdNumber(idNumber)
}
