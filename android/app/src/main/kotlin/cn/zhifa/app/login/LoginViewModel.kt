package cn.zhifa.app.login

import android.os.Build
import androidx.lifecycle.ViewModel
import androidx.lifecycle.viewModelScope
import cn.zhifa.app.ui.UiText
import cn.zhifa.app.ui.toUiText
import cn.zhifa.core.FieldApp
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

data class LoginUiState(
    val server: String = "",
    val username: String = "",
    val password: String = "",
    val deviceName: String = Build.MODEL ?: "",
    val busy: Boolean = false,
    val error: UiText? = null,
    /** Set once the server accepted the login: "name, unit". */
    val welcome: String? = null,
)

class LoginViewModel(private val app: FieldApp) : ViewModel() {
    private val _state = MutableStateFlow(LoginUiState())
    val state: StateFlow<LoginUiState> = _state.asStateFlow()

    fun onServer(v: String) = _state.update { it.copy(server = v, error = null) }
    fun onUsername(v: String) = _state.update { it.copy(username = v, error = null) }
    fun onPassword(v: String) = _state.update { it.copy(password = v, error = null) }
    fun onDeviceName(v: String) = _state.update { it.copy(deviceName = v, error = null) }

    /** Logs in and registers this phone; [onDone] runs on success. */
    fun login(onDone: () -> Unit) {
        val s = _state.value
        if (s.busy) return
        _state.update { it.copy(busy = true, error = null) }
        viewModelScope.launch {
            try {
                val officer = app.login(s.server.trim(), s.username.trim(), s.password, s.deviceName.trim())
                _state.update { it.copy(busy = false, password = "", welcome = "${officer.name} · ${officer.unitName}") }
                onDone()
            } catch (e: Exception) {
                _state.update { it.copy(busy = false, error = e.toUiText()) }
            }
        }
    }
}
