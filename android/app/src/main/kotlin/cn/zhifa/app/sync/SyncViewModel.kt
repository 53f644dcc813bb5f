package cn.zhifa.app.sync

import androidx.lifecycle.ViewModel
import androidx.lifecycle.viewModelScope
import cn.zhifa.app.ui.UiText
import cn.zhifa.app.ui.toUiText
import cn.zhifa.core.FieldApp
import cn.zhifa.ffi.SyncStatusInfo
import cn.zhifa.ffi.SyncSummary
import cn.zhifa.ffi.UploadProgressInfo
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.catch
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

data class SyncUiState(
    val status: SyncStatusInfo? = null,
    val syncing: Boolean = false,
    val summary: SyncSummary? = null,
    val error: UiText? = null,
    /** The file being uploaded now, for a progress bar; null when none. */
    val upload: UploadProgressInfo? = null,
) {
    /** Share of the current upload sent, 0..1 (null: no upload running). */
    val uploadFraction: Float?
        get() = upload?.let { if (it.total == 0uL) 1f else it.bytesSent.toFloat() / it.total.toFloat() }
}

class SyncViewModel(private val app: FieldApp) : ViewModel() {
    private val _state = MutableStateFlow(SyncUiState())
    val state: StateFlow<SyncUiState> = _state.asStateFlow()

    init {
        viewModelScope.launch {
            app.syncStatus()
                .catch { e -> _state.update { it.copy(error = e.toUiText()) } }
                .collect { s -> _state.update { it.copy(status = s) } }
        }
        viewModelScope.launch {
            app.uploadProgress()
                .catch { e -> _state.update { it.copy(error = e.toUiText()) } }
                .collect { p ->
                    _state.update { it.copy(upload = p.takeIf { p.bytesSent < p.total }) }
                }
        }
    }

    fun syncNow() {
        if (_state.value.syncing) return
        _state.update { it.copy(syncing = true, error = null) }
        viewModelScope.launch {
            try {
                val summary = app.syncNow()
                _state.update { it.copy(syncing = false, summary = summary, upload = null) }
            } catch (e: Exception) {
                _state.update { it.copy(syncing = false, error = e.toUiText(), upload = null) }
            }
        }
    }
}
