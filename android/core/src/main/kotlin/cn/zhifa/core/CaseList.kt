package cn.zhifa.core

import cn.zhifa.ffi.CaseListUpdate
import cn.zhifa.ffi.CaseRow

/**
 * The list after [update], in the engine's order (last changed first): a
 * reset replaces it, an upserted row (it just changed) moves to the top, a
 * removal drops it.
 */
fun List<CaseRow>.applying(update: CaseListUpdate): List<CaseRow> = when (update) {
    is CaseListUpdate.Reset -> update.rows
    is CaseListUpdate.Upsert -> listOf(update.row) + filterNot { it.id == update.row.id }
    is CaseListUpdate.Remove -> filterNot { it.id == update.caseId }
}
