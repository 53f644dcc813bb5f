package cn.zhifa.app.signature

import androidx.lifecycle.ViewModel
import androidx.lifecycle.viewModelScope
import cn.zhifa.app.ui.UiText
import cn.zhifa.app.ui.toUiText
import cn.zhifa.core.FieldApp
import cn.zhifa.ffi.CaseDetail
import cn.zhifa.ffi.SignaturePad
import cn.zhifa.ffi.SignerRole
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.catch
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

/** Who signs: an id the case knows (officer, party) or a typed name (witness). */
data class Signer(val id: String, val name: String)

data class SignUiState(
    val case: CaseDetail? = null,
    val role: SignerRole = SignerRole.PARTY,
    val signer: Signer? = null,
    /** Name typed for a signer the case does not list (e.g. a witness). */
    val typedName: String = "",
    val refusing: Boolean = false,
    val refusalReason: String = "",
    val refusalWitness: String = "",
    val busy: Boolean = false,
    val error: UiText? = null,
    /** The engine's confirmation (signature entry or refusal text). */
    val done: String? = null,
)

class SignViewModel(private val app: FieldApp, private val caseId: String, private val recordId: String) : ViewModel() {
    private val _state = MutableStateFlow(SignUiState())
    val state: StateFlow<SignUiState> = _state.asStateFlow()

    init {
        viewModelScope.launch {
            app.case(caseId)
                .catch { e -> _state.update { it.copy(error = e.toUiText()) } }
                .collect { c -> _state.update { it.copy(case = c) } }
        }
    }

    fun update(change: (SignUiState) -> SignUiState) = _state.update { change(it).copy(error = null, done = null) }

    /** People the case lists for [role]; empty means the name is typed. */
    fun people(s: SignUiState): List<Signer> {
        val c = s.case ?: return emptyList()
        return when (s.role) {
            SignerRole.PARTY -> c.parties.map { Signer(it.id, it.name) }
            SignerRole.OFFICER, SignerRole.REVIEWER, SignerRole.LEADER -> c.officers.map { Signer(it.id, it.name) }
            SignerRole.WITNESS -> emptyList()
        }
    }

    private fun chosen(s: SignUiState): Signer =
        s.signer ?: s.typedName.trim().let { Signer(id = it, name = it) }

    fun sign(pad: SignaturePad?, onSigned: () -> Unit) {
        val s = _state.value
        if (s.busy) return
        // An empty pad still goes to the engine as zero strokes: it explains what is missing.
        val strokes = pad ?: SignaturePad(width = 0u, height = 0u, strokes = emptyList())
        perform(onSigned) {
            val who = chosen(s)
            val sig = app.sign(caseId, recordId, s.role, who.id, who.name, strokes)
            "${sig.role} ${sig.name} ${sig.at}"
        }
    }

    fun refuse() {
        val s = _state.value
        if (s.busy) return
        perform {
            app.refuse(caseId, recordId, s.role, chosen(s).name, s.refusalReason.trim(), s.refusalWitness.trim())
        }
    }

    private fun perform(after: () -> Unit = {}, block: suspend () -> String) {
        _state.update { it.copy(busy = true, error = null, done = null) }
        viewModelScope.launch {
            try {
                val text = block()
                _state.update { it.copy(busy = false, done = text, refusing = false) }
                after()
            } catch (e: Exception) {
                _state.update { it.copy(busy = false, error = e.toUiText()) }
            }
        }
    }
}
