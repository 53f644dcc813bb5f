package cn.zhifa.app.rights

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.selection.toggleable
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.Checkbox
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.remember
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringArrayResource
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.Role
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

/** The rights notification: which rights were told, and how. */
@Composable
fun RightsScreen(app: FieldApp, caseId: String, onBack: () -> Unit) {
    val vm = viewModel(key = "rights-$caseId") { RightsViewModel(app, caseId) }
    val state by vm.state.collectAsStateWithLifecycle()
    // The rights the engine records, by their legal names.
    val rights = remember { Reference().rights() }
    val methods = stringArrayResource(R.array.rights_methods).toList()

    Scaffold(topBar = { BackTopBar(stringResource(R.string.rights_title), onBack) }) { padding ->
        Column(
            Modifier
                .fillMaxSize()
                .padding(padding)
                .verticalScroll(rememberScrollState())
                .padding(16.dp),
        ) {
            SectionTitle(stringResource(R.string.rights_which))
            rights.forEach { right ->
                Row(
                    verticalAlignment = Alignment.CenterVertically,
                    modifier = Modifier
                        .fillMaxWidth()
                        .toggleable(value = right in state.chosen, role = Role.Checkbox, onValueChange = { vm.toggle(right) }),
                ) {
                    Checkbox(checked = right in state.chosen, onCheckedChange = null)
                    Text(right, modifier = Modifier.padding(start = 8.dp), style = MaterialTheme.typography.bodyLarge)
                }
            }
            SectionTitle(stringResource(R.string.rights_method))
            ChipChoice(
                options = methods,
                label = { it },
                selected = { it == state.method },
                onClick = vm::onMethod,
            )
            OutlinedTextField(
                value = state.method,
                onValueChange = vm::onMethod,
                label = { Text(stringResource(R.string.rights_method_other)) },
                singleLine = true,
                modifier = Modifier.fillMaxWidth(),
            )
            ErrorText(state.error)
            state.recorded?.let { Text(it, color = MaterialTheme.colorScheme.primary) }
            Button(
                onClick = { vm.record(rights) },
                enabled = !state.busy,
                modifier = Modifier.fillMaxWidth().padding(top = 16.dp),
            ) { Text(stringResource(R.string.rights_record)) }
        }
    }
}
