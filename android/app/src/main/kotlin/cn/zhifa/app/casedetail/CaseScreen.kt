package cn.zhifa.app.casedetail

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.PaddingValues
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.Button
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.DropdownMenu
import androidx.compose.material3.DropdownMenuItem
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.lifecycle.viewmodel.compose.viewModel
import cn.zhifa.app.R
import cn.zhifa.app.ui.BackTopBar
import cn.zhifa.app.ui.Bullets
import cn.zhifa.app.ui.ErrorText
import cn.zhifa.app.ui.SectionTitle
import cn.zhifa.app.ui.Tag
import cn.zhifa.core.FieldApp
import cn.zhifa.core.Reference
import cn.zhifa.ffi.CaseDetail
import cn.zhifa.ffi.TemplateInfo

/** One case by stage: what blocks the next stage, records, media, history. */
@Composable
fun CaseScreen(
    app: FieldApp,
    reference: Reference,
    caseId: String,
    onBack: () -> Unit,
    onOpenRecord: (String) -> Unit,
    onCredential: () -> Unit,
    onRights: () -> Unit,
) {
    val vm = viewModel(key = "case-$caseId") { CaseViewModel(app, reference, caseId) }
    val state by vm.state.collectAsStateWithLifecycle()
    val case = state.case
    val fetchedFormat = stringResource(R.string.case_media_fetched)
    val sealsOk = stringResource(R.string.case_seals_ok)

    Scaffold(topBar = { BackTopBar(case?.title ?: stringResource(R.string.case_title), onBack) }) { padding ->
        if (case == null) {
            Box(Modifier.fillMaxSize().padding(padding), contentAlignment = Alignment.Center) {
                if (state.error == null) CircularProgressIndicator() else ErrorText(state.error)
            }
            return@Scaffold
        }
        LazyColumn(
            modifier = Modifier.fillMaxSize().padding(padding),
            contentPadding = PaddingValues(16.dp),
        ) {
            item { StageHeader(case) }
            item {
                StageActions(
                    case = case,
                    busy = state.busy,
                    onAdvance = vm::advance,
                )
                ErrorText(state.error)
                state.notice?.let { Text(it, color = MaterialTheme.colorScheme.primary) }
            }
            item {
                CaseActions(
                    templates = state.templates,
                    busy = state.busy,
                    onCredential = onCredential,
                    onRights = onRights,
                    onNewRecord = { id -> vm.newRecord(id, onOpenRecord) },
                    onFetchMedia = { vm.fetchMedia { n -> fetchedFormat.format(n) } },
                    onVerifySeals = { vm.verifySeals(sealsOk) },
                )
            }
            item { PartiesAndOfficers(case) }
            item { SectionTitle(stringResource(R.string.case_records)) }
            items(case.records, key = { it.id }) { row -> RecordRowItem(row, onClick = { onOpenRecord(row.id) }) }
            if (case.media.isNotEmpty()) {
                item { SectionTitle(stringResource(R.string.case_media)) }
                item { MediaStrip(case.media) }
            }
            if (case.sealConflicts.isNotEmpty()) {
                item {
                    SectionTitle(stringResource(R.string.case_seal_conflicts))
                    Bullets(case.sealConflicts, color = MaterialTheme.colorScheme.error)
                }
            }
            item { SectionTitle(stringResource(R.string.case_history)) }
            items(case.events) { event -> EventItem(event) }
        }
    }
}

@Composable
private fun StageHeader(case: CaseDetail) {
    Column(verticalArrangement = Arrangement.spacedBy(4.dp)) {
        Text("${case.kind} · ${case.source}", style = MaterialTheme.typography.bodyMedium)
        Text(stringResource(R.string.case_stage, case.stage), style = MaterialTheme.typography.titleLarge)
        case.nextStage?.let { Text(stringResource(R.string.case_next_stage, it)) }
        Tag(case.syncLabel)
        case.receipt?.let { Text(stringResource(R.string.case_receipt, it.serverTime), style = MaterialTheme.typography.bodySmall) }
    }
}

@Composable
private fun StageActions(case: CaseDetail, busy: Boolean, onAdvance: () -> Unit) {
    if (case.blocking.isNotEmpty()) {
        SectionTitle(stringResource(R.string.case_blocking))
        Bullets(case.blocking, color = MaterialTheme.colorScheme.error)
    }
    if (case.nextStage != null) {
        Button(onClick = onAdvance, enabled = !busy, modifier = Modifier.fillMaxWidth().padding(top = 8.dp)) {
            Text(stringResource(R.string.case_advance, case.nextStage ?: ""))
        }
    }
}

@OptIn(ExperimentalLayoutApi::class)
@Composable
private fun CaseActions(
    templates: List<TemplateInfo>,
    busy: Boolean,
    onCredential: () -> Unit,
    onRights: () -> Unit,
    onNewRecord: (String) -> Unit,
    onFetchMedia: () -> Unit,
    onVerifySeals: () -> Unit,
) {
    var pick by remember { mutableStateOf(false) }
    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), modifier = Modifier.padding(top = 8.dp)) {
        OutlinedButton(onClick = onCredential) { Text(stringResource(R.string.case_show_credentials)) }
        OutlinedButton(onClick = onRights) { Text(stringResource(R.string.case_notify_rights)) }
        Box {
            OutlinedButton(onClick = { pick = true }, enabled = !busy) { Text(stringResource(R.string.case_new_record)) }
            DropdownMenu(expanded = pick, onDismissRequest = { pick = false }) {
                templates.forEach { t ->
                    DropdownMenuItem(
                        text = { Text(t.name) },
                        onClick = { pick = false; onNewRecord(t.id) },
                    )
                }
            }
        }
        OutlinedButton(onClick = onFetchMedia, enabled = !busy) { Text(stringResource(R.string.case_fetch_media)) }
        OutlinedButton(onClick = onVerifySeals, enabled = !busy) { Text(stringResource(R.string.case_verify_seals)) }
    }
}
