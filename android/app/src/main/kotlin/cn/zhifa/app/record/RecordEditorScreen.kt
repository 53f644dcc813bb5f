package cn.zhifa.app.record

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.PaddingValues
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.imePadding
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.Button
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalFocusManager
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.lifecycle.Lifecycle
import androidx.lifecycle.compose.LifecycleEventEffect
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.lifecycle.viewmodel.compose.viewModel
import cn.zhifa.app.R
import cn.zhifa.app.ui.BackTopBar
import cn.zhifa.app.ui.Bullets
import cn.zhifa.app.ui.ErrorText
import cn.zhifa.app.ui.SectionTitle
import cn.zhifa.core.FieldApp
import cn.zhifa.ffi.RecordForm

/** The record editor: fields by type, seal, then signatures or an amendment. */
@Composable
fun RecordEditorScreen(
    app: FieldApp,
    caseId: String,
    recordId: String,
    onBack: () -> Unit,
    onCapture: (String) -> Unit,
    onSign: (String) -> Unit,
    onAmended: (String) -> Unit,
) {
    val vm = viewModel(key = "record-$caseId-$recordId") { RecordEditorViewModel(app, caseId, recordId) }
    val state by vm.state.collectAsStateWithLifecycle()
    val focus = LocalFocusManager.current
    // Capture and signing happen on other screens: read the form again on return.
    LifecycleEventEffect(Lifecycle.Event.ON_RESUME) { vm.reload() }
    var amending by remember { mutableStateOf(false) }
    val form = state.form

    Scaffold(topBar = { BackTopBar(form?.name ?: stringResource(R.string.record_title), onBack) }) { padding ->
        if (form == null) {
            Box(Modifier.fillMaxSize().padding(padding), contentAlignment = Alignment.Center) {
                if (state.error == null) CircularProgressIndicator() else ErrorText(state.error)
            }
            return@Scaffold
        }
        LazyColumn(
            modifier = Modifier.fillMaxSize().padding(padding).imePadding(),
            contentPadding = PaddingValues(16.dp),
        ) {
            item { RecordHeader(form) }
            items(form.fields, key = { it.key }) { field ->
                FieldEditor(
                    field = field,
                    editable = !form.sealed,
                    error = state.fieldErrors[field.key],
                    onSet = { vm.set(field.key, it) },
                    onClear = { vm.clear(field.key) },
                )
            }
            item { Checklist(form) }
            item {
                ErrorText(state.error)
                RecordActions(
                    form = form,
                    busy = state.busy,
                    // Leaving the focused field commits its text first; the
                    // view model runs the seal after that edit.
                    onSeal = { focus.clearFocus(); vm.seal() },
                    onCapture = { onCapture(recordId) },
                    onSign = { onSign(recordId) },
                    onAmend = { amending = true },
                )
            }
        }
    }
    if (amending) {
        AmendDialog(
            onDismiss = { amending = false },
            onConfirm = { reason -> amending = false; vm.amend(reason, onAmended) },
        )
    }
}

@Composable
private fun RecordHeader(form: RecordForm) {
    Text(form.article, style = MaterialTheme.typography.bodySmall)
    if (form.avRequired) {
        Text(stringResource(R.string.record_av_required), color = MaterialTheme.colorScheme.tertiary)
    }
    if (form.sealed) {
        Text(stringResource(R.string.record_sealed_note), color = MaterialTheme.colorScheme.primary)
        form.digest?.let { Text(stringResource(R.string.record_digest, it), style = MaterialTheme.typography.bodySmall) }
    }
    Text(stringResource(R.string.record_media_count, form.media.size), style = MaterialTheme.typography.bodySmall)
}

/** What the engine says is still missing, and the signatures so far. */
@Composable
private fun Checklist(form: RecordForm) {
    if (form.missingFields.isNotEmpty()) {
        SectionTitle(stringResource(R.string.record_missing_title))
        Bullets(form.missingFields, color = MaterialTheme.colorScheme.error)
    }
    if (form.blocking.isNotEmpty()) {
        SectionTitle(stringResource(R.string.record_blocking_title))
        Bullets(form.blocking, color = MaterialTheme.colorScheme.error)
    }
    if (form.signatures.isNotEmpty() || form.refusals.isNotEmpty() || form.missingSignatures.isNotEmpty()) {
        SectionTitle(stringResource(R.string.record_signatures_title))
        Bullets(form.signatures.map { "${it.role} ${it.name} ${it.at}" })
        Bullets(form.refusals)
        Bullets(form.missingSignatures, color = MaterialTheme.colorScheme.error)
    }
}

@OptIn(ExperimentalLayoutApi::class)
@Composable
private fun RecordActions(
    form: RecordForm,
    busy: Boolean,
    onSeal: () -> Unit,
    onCapture: () -> Unit,
    onSign: () -> Unit,
    onAmend: () -> Unit,
) {
    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), modifier = Modifier.padding(top = 12.dp)) {
        OutlinedButton(onClick = onCapture) { Text(stringResource(R.string.record_capture)) }
        if (form.sealed) {
            Button(onClick = onSign, enabled = !busy) { Text(stringResource(R.string.record_sign)) }
            OutlinedButton(onClick = onAmend, enabled = !busy) { Text(stringResource(R.string.record_amend)) }
        } else {
            Button(onClick = onSeal, enabled = !busy) { Text(stringResource(R.string.record_seal)) }
        }
    }
}

@Composable
private fun AmendDialog(onDismiss: () -> Unit, onConfirm: (String) -> Unit) {
    var reason by remember { mutableStateOf("") }
    AlertDialog(
        onDismissRequest = onDismiss,
        title = { Text(stringResource(R.string.record_amend)) },
        text = {
            OutlinedTextField(
                value = reason,
                onValueChange = { reason = it },
                label = { Text(stringResource(R.string.record_amend_reason)) },
                modifier = Modifier.fillMaxWidth(),
            )
        },
        confirmButton = { TextButton(onClick = { onConfirm(reason.trim()) }) { Text(stringResource(R.string.action_confirm)) } },
        dismissButton = { TextButton(onClick = onDismiss) { Text(stringResource(R.string.action_cancel)) } },
    )
}
