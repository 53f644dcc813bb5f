package cn.zhifa.app.cases

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Add
import androidx.compose.material.icons.filled.MoreVert
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.DropdownMenu
import androidx.compose.material3.DropdownMenuItem
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.ExtendedFloatingActionButton
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.material3.TopAppBar
import androidx.compose.material3.pulltorefresh.PullToRefreshBox
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
import cn.zhifa.app.ui.Bullets
import cn.zhifa.app.ui.DeadlineChip
import cn.zhifa.app.ui.ErrorText
import cn.zhifa.app.ui.Tag
import cn.zhifa.core.FieldApp
import cn.zhifa.ffi.CaseRow

/** Today's cases: filter, pull to sync, open or create a case. */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
fun CaseListScreen(
    app: FieldApp,
    onOpenCase: (String) -> Unit,
    onNewCase: () -> Unit,
    onSyncStatus: () -> Unit,
    onLoggedOut: () -> Unit,
) {
    val vm = viewModel { CaseListViewModel(app) }
    val state by vm.state.collectAsStateWithLifecycle()
    val rows by vm.rows.collectAsStateWithLifecycle()
    var menu by remember { mutableStateOf(false) }

    Scaffold(
        topBar = {
            TopAppBar(
                title = {
                    Column {
                        Text(stringResource(R.string.cases_title))
                        state.officer?.let { Text(it, style = MaterialTheme.typography.bodySmall) }
                    }
                },
                actions = {
                    IconButton(onClick = { menu = true }) {
                        Icon(Icons.Default.MoreVert, contentDescription = stringResource(R.string.action_more))
                    }
                    DropdownMenu(expanded = menu, onDismissRequest = { menu = false }) {
                        DropdownMenuItem(
                            text = { Text(stringResource(R.string.sync_title)) },
                            onClick = { menu = false; onSyncStatus() },
                        )
                        DropdownMenuItem(
                            text = { Text(stringResource(R.string.action_logout)) },
                            onClick = { menu = false; vm.logout(onLoggedOut) },
                        )
                    }
                },
            )
        },
        floatingActionButton = {
            ExtendedFloatingActionButton(
                onClick = onNewCase,
                icon = { Icon(Icons.Default.Add, contentDescription = null) },
                text = { Text(stringResource(R.string.cases_new)) },
            )
        },
    ) { padding ->
        Column(Modifier.fillMaxSize().padding(padding)) {
            OutlinedTextField(
                value = state.filterText,
                onValueChange = vm::onFilter,
                label = { Text(stringResource(R.string.cases_filter)) },
                singleLine = true,
                modifier = Modifier.fillMaxWidth().padding(horizontal = 16.dp, vertical = 8.dp),
            )
            Column(Modifier.padding(horizontal = 16.dp)) {
                ErrorText(state.error ?: rows.error)
                if (state.syncErrors.isNotEmpty()) {
                    Bullets(state.syncErrors, color = MaterialTheme.colorScheme.error)
                }
            }
            PullToRefreshBox(
                isRefreshing = state.syncing,
                onRefresh = vm::sync,
                modifier = Modifier.fillMaxSize(),
            ) {
                val list = rows.rows
                when {
                    list == null -> Box(Modifier.fillMaxSize(), contentAlignment = Alignment.Center) {
                        CircularProgressIndicator()
                    }
                    list.isEmpty() -> LazyColumn(Modifier.fillMaxSize()) {
                        item {
                            Text(
                                stringResource(R.string.cases_empty),
                                modifier = Modifier.padding(24.dp),
                                style = MaterialTheme.typography.bodyLarge,
                            )
                        }
                    }
                    else -> LazyColumn(Modifier.fillMaxSize()) {
                        items(list, key = { it.id }) { row ->
                            CaseRowItem(row, onClick = { onOpenCase(row.id) })
                            HorizontalDivider()
                        }
                    }
                }
            }
        }
    }
}

@Composable
private fun CaseRowItem(row: CaseRow, onClick: () -> Unit) {
    Column(
        modifier = Modifier
            .fillMaxWidth()
            .clickable(onClick = onClick)
            .padding(horizontal = 16.dp, vertical = 12.dp),
        verticalArrangement = Arrangement.spacedBy(4.dp),
    ) {
        Text(row.title, style = MaterialTheme.typography.titleMedium)
        if (row.party.isNotBlank()) {
            Text(row.party, style = MaterialTheme.typography.bodyMedium)
        }
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalAlignment = Alignment.CenterVertically) {
            Text("${row.kind} · ${row.stage}", style = MaterialTheme.typography.bodySmall)
            Tag(row.syncLabel)
        }
        row.badge?.let { DeadlineChip(it) }
    }
}
