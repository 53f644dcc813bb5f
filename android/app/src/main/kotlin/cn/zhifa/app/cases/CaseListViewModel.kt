package cn.zhifa.app.cases

import androidx.lifecycle.ViewModel
import androidx.lifecycle.viewModelScope
import cn.zhifa.app.ui.UiText
import cn.zhifa.app.ui.toUiText
import cn.zhifa.core.FieldApp
import cn.zhifa.core.NoFilter
import cn.zhifa.ffi.CaseRow
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.FlowPreview
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.SharingStarted
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.catch
import kotlinx.coroutines.flow.debounce
import kotlinx.coroutines.flow.distinctUntilChanged
import kotlinx.coroutines.flow.flatMapLatest
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.stateIn
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

data class CaseListUiState(
    val officer: String? = null,
    val filterText: String = "",
    val syncing: Boolean = false,
    val error: UiText? = null,
    /** Short result of the last pull-to-sync, from the engine's summary. */
    val syncErrors: List<String> = emptyList(),
)

/** The engine's rows, or null while the first list is loading. */
data class CaseRows(val rows: List<CaseRow>?, val error: UiText? = null)

@OptIn(ExperimentalCoroutinesApi::class, FlowPreview::class)
class CaseListViewModel(private val app: FieldApp) : ViewModel() {
    private val _state = MutableStateFlow(CaseListUiState())
    val state: StateFlow<CaseListUiState> = _state.asStateFlow()

    /** Rows follow the filter text; the engine does the matching. */
    val rows: StateFlow<CaseRows> = _state
        .map { it.filterText.trim() }
        .distinctUntilChanged()
        .debounce(250)
        .flatMapLatest { text ->
            app.cases(if (text.isEmpty()) NoFilter else NoFilter.copy(text = text))
                .map { CaseRows(it) }
                .catch { emit(CaseRows(emptyList(), it.toUiText())) }
        }
        .stateIn(viewModelScope, SharingStarted.WhileSubscribed(5_000), CaseRows(null))

    init {
        viewModelScope.launch {
            val officer = runCatching { app.currentOfficer() }.getOrNull()
            _state.update { it.copy(officer = officer?.let { o -> "${o.name} · ${o.unitName}" }) }
        }
    }

    fun onFilter(text: String) = _state.update { it.copy(filterText = text) }

    /** Pull-to-sync. */
    fun sync() {
        if (_state.value.syncing) return
        _state.update { it.copy(syncing = true, error = null, syncErrors = emptyList()) }
        viewModelScope.launch {
            try {
                val summary = app.syncNow()
                _state.update { it.copy(syncing = false, syncErrors = summary.errors) }
            } catch (e: Exception) {
                _state.update { it.copy(syncing = false, error = e.toUiText()) }
            }
        }
    }

    /** Logs out; the engine refuses while work is unsynced. */
    fun logout(onDone: () -> Unit) {
        viewModelScope.launch {
            try {
                app.logout(force = false)
                onDone()
            } catch (e: Exception) {
                _state.update { it.copy(error = e.toUiText()) }
            }
        }
    }

    fun dismissError() = _state.update { it.copy(error = null, syncErrors = emptyList()) }
}
