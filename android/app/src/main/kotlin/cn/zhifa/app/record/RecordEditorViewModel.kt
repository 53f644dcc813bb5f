package cn.zhifa.app.record

import androidx.lifecycle.ViewModel
import androidx.lifecycle.viewModelScope
import cn.zhifa.app.ui.UiText
import cn.zhifa.app.ui.toUiText
import cn.zhifa.core.FieldApp
import cn.zhifa.ffi.FieldValue
import cn.zhifa.ffi.RecordForm
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock

data class RecordUiState(
    val form: RecordForm? = null,
    val busy: Boolean = false,
    val error: UiText? = null,
    /** The engine's refusal of a value, by field key (until the field changes again). */
    val fieldErrors: Map<String, UiText> = emptyMap(),
    /** Seal digest after sealing. */
    val sealedDigest: String? = null,
)

class RecordEditorViewModel(
    private val app: FieldApp,
    private val caseId: String,
    private val recordId: String,
) : ViewModel() {
    private val _state = MutableStateFlow(RecordUiState())
    val state: StateFlow<RecordUiState> = _state.asStateFlow()

    /** Engine writes run one after another, in the order they were asked for. */
    private val writes = Mutex()

    init {
        reload()
    }

    /** Reads the form again (after capture or signing screens return). */
    fun reload() {
        viewModelScope.launch {
            try {
                val form = app.recordForm(caseId, recordId)
                _state.update { it.copy(form = form) }
            } catch (e: Exception) {
                _state.update { it.copy(error = e.toUiText()) }
            }
        }
    }

    /** Stores a value; the refreshed form carries the field's message. */
    fun set(key: String, value: FieldValue) = edit(key) { app.setField(caseId, recordId, key, value) }

    fun clear(key: String) = edit(key) { app.clearField(caseId, recordId, key) }

    private fun edit(key: String, block: suspend () -> Unit) {
        viewModelScope.launch {
            try {
                writes.withLock { block() }
                val form = app.recordForm(caseId, recordId)
                _state.update { it.copy(form = form, fieldErrors = it.fieldErrors - key, error = null) }
            } catch (e: Exception) {
                _state.update { it.copy(fieldErrors = it.fieldErrors + (key to e.toUiText())) }
            }
        }
    }

    fun seal() {
        if (_state.value.busy) return
        _state.update { it.copy(busy = true, error = null) }
        viewModelScope.launch {
            try {
                val digest = writes.withLock { app.seal(caseId, recordId) }
                val form = app.recordForm(caseId, recordId)
                _state.update { it.copy(busy = false, form = form, sealedDigest = digest) }
            } catch (e: Exception) {
                _state.update { it.copy(busy = false, error = e.toUiText()) }
            }
        }
    }

    /** Starts an amendment and hands the new record's id to [onAmended]. */
    fun amend(reason: String, onAmended: (String) -> Unit) {
        if (_state.value.busy) return
        _state.update { it.copy(busy = true, error = null) }
        viewModelScope.launch {
            try {
                val newId = writes.withLock { app.amend(caseId, recordId, reason) }
                _state.update { it.copy(busy = false) }
                onAmended(newId)
            } catch (e: Exception) {
                _state.update { it.copy(busy = false, error = e.toUiText()) }
            }
        }
    }
}
