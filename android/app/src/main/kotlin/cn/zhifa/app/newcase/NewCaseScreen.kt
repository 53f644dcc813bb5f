package cn.zhifa.app.newcase

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.imePadding
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
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
import cn.zhifa.core.Reference
import cn.zhifa.ffi.CaseKind
import cn.zhifa.ffi.CaseSource
import cn.zhifa.ffi.Procedure

/** A new case: kind, source (incl. random inspection task), party, partner officers, first record. */
@Composable
fun NewCaseScreen(
    app: FieldApp,
    reference: Reference,
    onBack: () -> Unit,
    onCreated: (caseId: String, recordId: String?) -> Unit,
) {
    val vm = viewModel { NewCaseViewModel(app, reference) }
    val state by vm.state.collectAsStateWithLifecycle()

    Scaffold(topBar = { BackTopBar(stringResource(R.string.new_case_title), onBack) }) { padding ->
        Column(
            Modifier
                .fillMaxSize()
                .padding(padding)
                .imePadding()
                .verticalScroll(rememberScrollState())
                .padding(horizontal = 16.dp, vertical = 8.dp),
        ) {
            SectionTitle(stringResource(R.string.new_case_kind))
            ChipChoice(
                options = CaseKind.entries,
                label = { stringResource(kindLabel(it)) },
                selected = { it == state.kind },
                onClick = { k -> vm.update { it.copy(kind = k) } },
            )
            if (state.kind == CaseKind.PENALTY) {
                SectionTitle(stringResource(R.string.new_case_procedure))
                ChipChoice(
                    options = Procedure.entries,
                    label = { stringResource(procedureLabel(it)) },
                    selected = { it == state.procedure },
                    onClick = { p -> vm.update { it.copy(procedure = p) } },
                )
            }
            OutlinedTextField(
                value = state.title,
                onValueChange = { t -> vm.update { it.copy(title = t) } },
                label = { Text(stringResource(R.string.new_case_case_title)) },
                singleLine = true,
                modifier = Modifier.fillMaxWidth().padding(top = 12.dp),
            )

            SectionTitle(stringResource(R.string.new_case_source))
            ChipChoice(
                options = CaseSource.entries,
                label = { stringResource(sourceLabel(it)) },
                selected = { it == state.source },
                onClick = { s -> vm.update { it.copy(source = s) } },
            )
            OutlinedTextField(
                value = state.sourceRef,
                onValueChange = { r -> vm.update { it.copy(sourceRef = r) } },
                label = { Text(stringResource(sourceRefLabel(state.source))) },
                singleLine = true,
                modifier = Modifier.fillMaxWidth(),
            )

            PartySection(state.party, vm::updateParty)
            PartnerSection(state.partners, onAdd = vm::addPartner, onRemove = vm::removePartner)

            SectionTitle(stringResource(R.string.new_case_first_record))
            ChipChoice(
                options = listOf<String?>(null) + state.templates.map { it.id },
                label = { id ->
                    if (id == null) stringResource(R.string.new_case_no_record)
                    else state.templates.first { it.id == id }.name
                },
                selected = { it == state.firstRecord },
                onClick = { id -> vm.update { it.copy(firstRecord = id) } },
            )

            ErrorText(state.error, Modifier.padding(top = 12.dp))
            Button(
                onClick = { vm.create(onCreated) },
                enabled = !state.busy,
                modifier = Modifier.fillMaxWidth().padding(vertical = 16.dp),
            ) { Text(stringResource(R.string.new_case_create)) }
        }
    }
}

fun kindLabel(kind: CaseKind): Int = when (kind) {
    CaseKind.INSPECTION -> R.string.kind_inspection
    CaseKind.PENALTY -> R.string.kind_penalty
}

fun procedureLabel(p: Procedure): Int = when (p) {
    Procedure.SIMPLE -> R.string.procedure_simple
    Procedure.GENERAL -> R.string.procedure_general
}

fun sourceLabel(s: CaseSource): Int = when (s) {
    CaseSource.EX_OFFICIO -> R.string.source_ex_officio
    CaseSource.COMPLAINT -> R.string.source_complaint
    CaseSource.RANDOM_INSPECTION -> R.string.source_random
    CaseSource.TRANSFER -> R.string.source_transfer
}

fun sourceRefLabel(s: CaseSource): Int = when (s) {
    CaseSource.RANDOM_INSPECTION -> R.string.source_ref_random
    CaseSource.COMPLAINT -> R.string.source_ref_complaint
    CaseSource.TRANSFER -> R.string.source_ref_transfer
    CaseSource.EX_OFFICIO -> R.string.source_ref_other
}
