package cn.zhifa.app.newcase

import androidx.lifecycle.ViewModel
import androidx.lifecycle.viewModelScope
import cn.zhifa.app.ui.UiText
import cn.zhifa.app.ui.toUiText
import cn.zhifa.core.FieldApp
import cn.zhifa.core.Reference
import cn.zhifa.ffi.CaseKind
import cn.zhifa.ffi.CaseSource
import cn.zhifa.ffi.NewCaseInput
import cn.zhifa.ffi.PartnerEntry
import cn.zhifa.ffi.PartyEntry
import cn.zhifa.ffi.PartyKind
import cn.zhifa.ffi.Procedure
import cn.zhifa.ffi.TemplateInfo
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

/** The party as typed; sent only when [enabled]. */
data class PartyDraft(
    val enabled: Boolean = false,
    val kind: PartyKind = PartyKind.LEGAL_PERSON,
    val name: String = "",
    val idNumber: String = "",
    val representative: String = "",
    val address: String = "",
    val phone: String = "",
)

data class NewCaseUiState(
    val kind: CaseKind = CaseKind.INSPECTION,
    val procedure: Procedure = Procedure.GENERAL,
    val title: String = "",
    val source: CaseSource = CaseSource.EX_OFFICIO,
    val sourceRef: String = "",
    val party: PartyDraft = PartyDraft(),
    val partners: List<PartnerEntry> = emptyList(),
    val templates: List<TemplateInfo> = emptyList(),
    val firstRecord: String? = null,
    val busy: Boolean = false,
    val error: UiText? = null,
)

class NewCaseViewModel(private val app: FieldApp, private val reference: Reference) : ViewModel() {
    private val _state = MutableStateFlow(NewCaseUiState())
    val state: StateFlow<NewCaseUiState> = _state.asStateFlow()

    init {
        viewModelScope.launch {
            try {
                val templates = reference.templates()
                _state.update { it.copy(templates = templates) }
            } catch (e: Exception) {
                _state.update { it.copy(error = e.toUiText()) }
            }
        }
    }

    fun update(change: (NewCaseUiState) -> NewCaseUiState) = _state.update { change(it).copy(error = null) }
    fun updateParty(change: (PartyDraft) -> PartyDraft) = update { it.copy(party = change(it.party)) }

    fun addPartner(entry: PartnerEntry) = update { it.copy(partners = it.partners + entry) }
    fun removePartner(index: Int) = update { it.copy(partners = it.partners.filterIndexed { i, _ -> i != index }) }

    /** Hands the input to the engine, which validates everything. */
    fun create(onCreated: (caseId: String, recordId: String?) -> Unit) {
        val s = _state.value
        if (s.busy) return
        val input = NewCaseInput(
            kind = s.kind,
            procedure = if (s.kind == CaseKind.PENALTY) s.procedure else null,
            title = s.title.trim(),
            source = s.source,
            sourceRef = s.sourceRef.trim().ifEmpty { null },
            party = s.party.takeIf { it.enabled }?.let { p ->
                PartyEntry(
                    kind = p.kind,
                    name = p.name.trim(),
                    idNumber = p.idNumber.trim(),
                    representative = p.representative.trim().ifEmpty { null },
                    address = p.address.trim().ifEmpty { null },
                    phone = p.phone.trim().ifEmpty { null },
                )
            },
            partners = s.partners,
            firstRecord = s.firstRecord,
        )
        _state.update { it.copy(busy = true, error = null) }
        viewModelScope.launch {
            try {
                val created = app.newCase(input)
                _state.update { it.copy(busy = false) }
                onCreated(created.caseId, created.recordId)
            } catch (e: Exception) {
                _state.update { it.copy(busy = false, error = e.toUiText()) }
            }
        }
    }
}
