package cn.zhifa.app.sync

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
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
import cn.zhifa.app.ui.Bullets
import cn.zhifa.app.ui.ErrorText
import cn.zhifa.app.ui.SectionTitle
import cn.zhifa.core.FieldApp
import cn.zhifa.ffi.SyncStatusInfo
import cn.zhifa.ffi.SyncSummary

/** Sync status: what waits for upload, the last sync, sync now, errors. */
@Composable
fun SyncScreen(app: FieldApp, onBack: () -> Unit, onLogin: () -> Unit) {
    val vm = viewModel { SyncViewModel(app) }
    val state by vm.state.collectAsStateWithLifecycle()

    Scaffold(topBar = { BackTopBar(stringResource(R.string.sync_title), onBack) }) { padding ->
        Column(
            Modifier
                .fillMaxSize()
                .padding(padding)
                .verticalScroll(rememberScrollState())
                .padding(16.dp),
            verticalArrangement = Arrangement.spacedBy(8.dp),
        ) {
            state.status?.let { StatusBlock(it) }
            ErrorText(state.error)
            if (state.status?.loggedIn == false) {
                OutlinedButton(onClick = onLogin, modifier = Modifier.fillMaxWidth()) {
                    Text(stringResource(R.string.sync_login_again))
                }
            }
            Button(onClick = vm::syncNow, enabled = !state.syncing, modifier = Modifier.fillMaxWidth()) {
                if (state.syncing) {
                    CircularProgressIndicator(Modifier.size(18.dp), strokeWidth = 2.dp)
                } else {
                    Text(stringResource(R.string.sync_now))
                }
            }
            state.upload?.let { p ->
                Text(
                    stringResource(
                        R.string.sync_uploading,
                        p.bytesSent.toDouble() / MIB,
                        p.total.toDouble() / MIB,
                    ),
                )
                LinearProgressIndicator(
                    progress = { state.uploadFraction ?: 0f },
                    modifier = Modifier.fillMaxWidth(),
                )
            }
            state.summary?.let { SummaryBlock(it) }
        }
    }
}

@Composable
private fun StatusBlock(s: SyncStatusInfo) {
    Text(
        stringResource(if (s.loggedIn) R.string.sync_logged_in else R.string.sync_logged_out),
        style = MaterialTheme.typography.titleMedium,
    )
    s.server?.let { Text(stringResource(R.string.sync_server, it)) }
    Text(stringResource(R.string.sync_pending_cases, s.pendingCases.toInt()))
    Text(stringResource(R.string.sync_pending_uploads, s.pendingUploads.toInt()))
    if (s.corruptUploads > 0u) {
        Text(stringResource(R.string.sync_corrupt_uploads, s.corruptUploads.toInt()), color = MaterialTheme.colorScheme.error)
    }
    Text(stringResource(R.string.sync_last, s.lastSync ?: stringResource(R.string.sync_never)))
}

@Composable
private fun SummaryBlock(s: SyncSummary) {
    SectionTitle(stringResource(R.string.sync_result))
    Text(
        stringResource(
            R.string.sync_summary,
            s.checked.toInt(), s.fetched.toInt(), s.exchanged.toInt(), s.accepted.toInt(), s.uploaded.toInt(),
        ),
    )
    if (s.forbidden.isNotEmpty()) {
        Text(stringResource(R.string.sync_forbidden, s.forbidden.size), color = MaterialTheme.colorScheme.error)
    }
    if (s.corrupt.isNotEmpty()) {
        Text(stringResource(R.string.sync_corrupt_files, s.corrupt.size), color = MaterialTheme.colorScheme.error)
    }
    if (s.errors.isNotEmpty()) {
        SectionTitle(stringResource(R.string.sync_errors))
        Bullets(s.errors, color = MaterialTheme.colorScheme.error)
    }
}

private const val MIB = 1024.0 * 1024.0
