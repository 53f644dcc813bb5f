package cn.zhifa.app.signature

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.lifecycle.viewmodel.compose.viewModel
import cn.zhifa.app.R
import cn.zhifa.app.ui.BackTopBar
import cn.zhifa.app.ui.ChipChoice
import cn.zhifa.app.ui.ErrorText
import cn.zhifa.app.ui.SectionTitle
import cn.zhifa.core.FieldApp
import cn.zhifa.ffi.SignerRole

private val roles = listOf(SignerRole.PARTY, SignerRole.OFFICER, SignerRole.WITNESS)

/** Signing a sealed record by hand, or recording a witnessed refusal. */
@Composable
fun SignScreen(app: FieldApp, caseId: String, recordId: String, onBack: () -> Unit) {
    val vm = viewModel(key = "sign-$caseId-$recordId") { SignViewModel(app, caseId, recordId) }
    val state by vm.state.collectAsStateWithLifecycle()
    val pad = rememberSignaturePadState()
    val people = vm.people(state)

    Scaffold(topBar = { BackTopBar(stringResource(R.string.sign_title), onBack) }) { padding ->
        Column(
            Modifier
                .fillMaxSize()
                .padding(padding)
                .verticalScroll(rememberScrollState())
                .padding(16.dp),
            verticalArrangement = Arrangement.spacedBy(8.dp),
        ) {
            SectionTitle(stringResource(R.string.sign_role))
            ChipChoice(
                options = roles,
                label = { stringResource(roleLabel(it)) },
                selected = { it == state.role },
                onClick = { r -> vm.update { it.copy(role = r, signer = null) } },
            )
            if (people.isNotEmpty()) {
                ChipChoice(
                    options = people,
                    label = { it.name },
                    selected = { it == state.signer },
                    onClick = { p -> vm.update { it.copy(signer = p) } },
                )
            } else {
                OutlinedTextField(
                    value = state.typedName,
                    onValueChange = { n -> vm.update { it.copy(typedName = n) } },
                    label = { Text(stringResource(R.string.sign_name)) },
                    singleLine = true,
                    modifier = Modifier.fillMaxWidth(),
                )
            }
            if (state.refusing) {
                RefusalForm(
                    reason = state.refusalReason,
                    witness = state.refusalWitness,
                    onReason = { v -> vm.update { it.copy(refusalReason = v) } },
                    onWitness = { v -> vm.update { it.copy(refusalWitness = v) } },
                    busy = state.busy,
                    onRecord = vm::refuse,
                    onCancel = { vm.update { it.copy(refusing = false) } },
                )
            } else {
                Text(stringResource(R.string.sign_pad_hint), style = MaterialTheme.typography.bodySmall)
                SignaturePadView(pad)
                Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    OutlinedButton(onClick = pad::clear) { Text(stringResource(R.string.action_clear)) }
                    Button(onClick = { vm.sign(pad.toPad()) { pad.clear() } }, enabled = !state.busy) {
                        Text(stringResource(R.string.sign_confirm))
                    }
                    TextButton(onClick = { vm.update { it.copy(refusing = true) } }) {
                        Text(stringResource(R.string.sign_refuse))
                    }
                }
            }
            ErrorText(state.error)
            state.done?.let { Text(it, color = MaterialTheme.colorScheme.primary) }
        }
    }
}

@Composable
private fun RefusalForm(
    reason: String,
    witness: String,
    onReason: (String) -> Unit,
    onWitness: (String) -> Unit,
    busy: Boolean,
    onRecord: () -> Unit,
    onCancel: () -> Unit,
) {
    SectionTitle(stringResource(R.string.sign_refuse))
    OutlinedTextField(
        value = reason,
        onValueChange = onReason,
        label = { Text(stringResource(R.string.sign_refuse_reason)) },
        modifier = Modifier.fillMaxWidth(),
    )
    OutlinedTextField(
        value = witness,
        onValueChange = onWitness,
        label = { Text(stringResource(R.string.sign_refuse_witness)) },
        singleLine = true,
        modifier = Modifier.fillMaxWidth(),
    )
    Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        OutlinedButton(onClick = onCancel) { Text(stringResource(R.string.action_cancel)) }
        Button(onClick = onRecord, enabled = !busy) { Text(stringResource(R.string.sign_refuse_record)) }
    }
}

fun roleLabel(role: SignerRole): Int = when (role) {
    SignerRole.OFFICER -> R.string.role_officer
    SignerRole.PARTY -> R.string.role_party
    SignerRole.WITNESS -> R.string.role_witness
    SignerRole.REVIEWER -> R.string.role_reviewer
    SignerRole.LEADER -> R.string.role_leader
}
