package cn.zhifa.app.casedetail

import androidx.lifecycle.ViewModel
import androidx.lifecycle.viewModelScope
import cn.zhifa.app.ui.UiText
import cn.zhifa.app.ui.toUiText
import cn.zhifa.core.FieldApp
import cn.zhifa.core.Reference
import cn.zhifa.ffi.CaseDetail
import cn.zhifa.ffi.TemplateInfo
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.catch
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

data class CaseUiState(
    val case: CaseDetail? = null,
    val templates: List<TemplateInfo> = emptyList(),
    val busy: Boolean = false,
    /** The engine's answer to the last action (e.g. why the stage cannot advance). */
    val error: UiText? = null,
    /** The engine's confirmation of the last action (e.g. the new stage). */
    val notice: String? = null,
)

class CaseViewModel(
    private val app: FieldApp,
    private val reference: Reference,
    private val caseId: String,
) : ViewModel() {
    private val _state = MutableStateFlow(CaseUiState())
    val state: StateFlow<CaseUiState> = _state.asStateFlow()

    init {
        viewModelScope.launch {
            app.case(caseId)
                .catch { e -> _state.update { it.copy(error = e.toUiText()) } }
                .collect { detail -> _state.update { it.copy(case = detail) } }
        }
        viewModelScope.launch {
            runCatching { reference.templates() }.onSuccess { t -> _state.update { it.copy(templates = t) } }
        }
    }

    private fun act(block: suspend () -> String?) {
        if (_state.value.busy) return
        _state.update { it.copy(busy = true, error = null, notice = null) }
        viewModelScope.launch {
            try {
                val notice = block()
                _state.update { it.copy(busy = false, notice = notice) }
            } catch (e: Exception) {
                _state.update { it.copy(busy = false, error = e.toUiText()) }
            }
        }
    }

    /** Moves the case on; the engine says what blocks it. */
    fun advance() = act { app.advanceStage(caseId) }

    /** Downloads the case's files this phone lacks. */
    fun fetchMedia(format: (Int) -> String) = act { format(app.fetchMedia(caseId)) }

    /** Opens a new record from a template and hands its id to [onOpened]. */
    fun newRecord(templateId: String, onOpened: (String) -> Unit) {
        if (_state.value.busy) return
        _state.update { it.copy(busy = true, error = null, notice = null) }
        viewModelScope.launch {
            try {
                val id = app.newRecord(caseId, templateId)
                _state.update { it.copy(busy = false) }
                onOpened(id)
            } catch (e: Exception) {
                _state.update { it.copy(busy = false, error = e.toUiText()) }
            }
        }
    }

    /** Runs the seal verification; problems come back as engine sentences. */
    fun verifySeals(allGood: String) {
        if (_state.value.busy) return
        _state.update { it.copy(busy = true, error = null, notice = null) }
        viewModelScope.launch {
            try {
                val problems = app.verifySeals(caseId).flatMap { it.problems }
                _state.update {
                    if (problems.isEmpty()) it.copy(busy = false, notice = allGood)
                    else it.copy(busy = false, error = UiText.Engine(problems.joinToString("\n")))
                }
            } catch (e: Exception) {
                _state.update { it.copy(busy = false, error = e.toUiText()) }
            }
        }
    }
}
