package cn.zhifa.app.credential

import android.graphics.Bitmap
import android.graphics.BitmapFactory
import androidx.lifecycle.ViewModel
import androidx.lifecycle.viewModelScope
import cn.zhifa.app.ui.UiText
import cn.zhifa.app.ui.toUiText
import cn.zhifa.core.FieldApp
import cn.zhifa.ffi.CredentialInfo
import cn.zhifa.ffi.GeoPoint
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext

data class CredentialUiState(
    val card: CredentialInfo? = null,
    val qr: Bitmap? = null,
    val place: String = "",
    val busy: Boolean = false,
    val error: UiText? = null,
    /** The engine's record of the showing, once saved. */
    val recorded: String? = null,
)

class CredentialViewModel(private val app: FieldApp, private val caseId: String) : ViewModel() {
    private val _state = MutableStateFlow(CredentialUiState())
    val state: StateFlow<CredentialUiState> = _state.asStateFlow()

    init {
        viewModelScope.launch {
            try {
                val card = app.credentialCard()
                val qr = withContext(Dispatchers.Default) {
                    BitmapFactory.decodeByteArray(card.qrPng, 0, card.qrPng.size)
                }
                _state.update { it.copy(card = card, qr = qr) }
            } catch (e: Exception) {
                _state.update { it.copy(error = e.toUiText()) }
            }
        }
    }

    fun onPlace(v: String) = _state.update { it.copy(place = v, error = null) }

    /** Records the showing at the typed place, with the GPS fix if any. */
    fun record(gps: GeoPoint?) {
        if (_state.value.busy) return
        _state.update { it.copy(busy = true, error = null) }
        viewModelScope.launch {
            try {
                val detail = app.showCredentials(caseId, _state.value.place.trim(), gps)
                _state.update { it.copy(busy = false, recorded = detail) }
            } catch (e: Exception) {
                _state.update { it.copy(busy = false, error = e.toUiText()) }
            }
        }
    }
}
