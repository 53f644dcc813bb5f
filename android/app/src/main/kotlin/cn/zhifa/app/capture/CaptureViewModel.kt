package cn.zhifa.app.capture

import androidx.lifecycle.ViewModel
import androidx.lifecycle.viewModelScope
import cn.zhifa.app.ui.UiText
import cn.zhifa.app.ui.toUiText
import cn.zhifa.core.FieldApp
import cn.zhifa.ffi.GeoPoint
import cn.zhifa.ffi.MediaInfo
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import java.io.File

enum class CaptureMode { PHOTO, VIDEO, AUDIO }

data class CaptureUiState(
    val mode: CaptureMode = CaptureMode.PHOTO,
    val recording: Boolean = false,
    val saving: Boolean = false,
    val attached: List<MediaInfo> = emptyList(),
    val error: UiText? = null,
)

class CaptureViewModel(private val app: FieldApp, private val caseId: String, private val recordId: String) : ViewModel() {
    private val _state = MutableStateFlow(CaptureUiState())
    val state: StateFlow<CaptureUiState> = _state.asStateFlow()

    fun setMode(mode: CaptureMode) = _state.update { if (it.recording) it else it.copy(mode = mode, error = null) }
    fun setRecording(on: Boolean) = _state.update { it.copy(recording = on) }
    fun fail(error: UiText) = _state.update { it.copy(recording = false, saving = false, error = error) }

    /** Hands a captured file to the engine (it copies it into its store), then deletes the cache copy. */
    fun attach(file: File, gps: GeoPoint?) {
        _state.update { it.copy(saving = true, error = null) }
        viewModelScope.launch {
            try {
                val media = app.attach(caseId, recordId, file.absolutePath, gps)
                _state.update { it.copy(saving = false, attached = it.attached + media) }
            } catch (e: Exception) {
                _state.update { it.copy(saving = false, error = e.toUiText()) }
            } finally {
                file.delete()
            }
        }
    }
}
