package cn.zhifa.app.rights

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

data class RightsUiState(
    val chosen: Set<String> = emptySet(),
    val method: String = "",
    val busy: Boolean = false,
    val error: UiText? = null,
    val recorded: String? = null,
)

class RightsViewModel(private val app: FieldApp, private val caseId: String) : ViewModel() {
    private val _state = MutableStateFlow(RightsUiState())
    val state: StateFlow<RightsUiState> = _state.asStateFlow()

    fun toggle(right: String) = _state.update {
        it.copy(chosen = if (right in it.chosen) it.chosen - right else it.chosen + right, error = null)
    }

    fun onMethod(v: String) = _state.update { it.copy(method = v, error = null) }

    /** [order] keeps the rights in the order they are listed on screen. */
    fun record(order: List<String>) {
        val s = _state.value
        if (s.busy) return
        _state.update { it.copy(busy = true, error = null) }
        viewModelScope.launch {
            try {
                val rights = order.filter { it in s.chosen }
                val detail = app.notifyRights(caseId, rights, s.method.trim(), null)
                _state.update { it.copy(busy = false, recorded = detail) }
            } catch (e: Exception) {
                _state.update { it.copy(busy = false, error = e.toUiText()) }
            }
        }
    }
}
