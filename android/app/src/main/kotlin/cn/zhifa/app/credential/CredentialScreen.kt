package cn.zhifa.app.credential

import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.foundation.Image
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.FilterQuality
import androidx.compose.ui.graphics.asImageBitmap
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.lifecycle.viewmodel.compose.viewModel
import cn.zhifa.app.R
import cn.zhifa.app.ui.BackTopBar
import cn.zhifa.app.ui.ErrorText
import cn.zhifa.app.ui.Locator
import cn.zhifa.core.FieldApp
import cn.zhifa.ffi.CredentialInfo

/** Showing the credentials: the card with its QR code, then record where. */
@Composable
fun CredentialScreen(app: FieldApp, caseId: String, onBack: () -> Unit) {
    val vm = viewModel(key = "credential-$caseId") { CredentialViewModel(app, caseId) }
    val state by vm.state.collectAsStateWithLifecycle()
    val context = LocalContext.current
    // Ask for location once; record with whatever fix is available afterwards.
    val askLocation = rememberLauncherForActivityResult(ActivityResultContracts.RequestMultiplePermissions()) {
        vm.record(Locator.lastFix(context))
    }

    Scaffold(topBar = { BackTopBar(stringResource(R.string.credential_title), onBack) }) { padding ->
        Column(
            Modifier
                .fillMaxSize()
                .padding(padding)
                .verticalScroll(rememberScrollState())
                .padding(16.dp),
            verticalArrangement = Arrangement.spacedBy(12.dp),
        ) {
            state.card?.let { CredentialCard(it, state.qr) }
            OutlinedTextField(
                value = state.place,
                onValueChange = vm::onPlace,
                label = { Text(stringResource(R.string.credential_place)) },
                singleLine = true,
                modifier = Modifier.fillMaxWidth(),
            )
            ErrorText(state.error)
            state.recorded?.let { Text(it, color = MaterialTheme.colorScheme.primary) }
            Button(
                onClick = {
                    if (Locator.permitted(context)) vm.record(Locator.lastFix(context))
                    else askLocation.launch(Locator.permissions)
                },
                enabled = !state.busy,
                modifier = Modifier.fillMaxWidth(),
            ) { Text(stringResource(R.string.credential_record)) }
        }
    }
}

@Composable
private fun CredentialCard(card: CredentialInfo, qr: android.graphics.Bitmap?) {
    Card(Modifier.fillMaxWidth()) {
        Column(
            Modifier.fillMaxWidth().padding(20.dp),
            horizontalAlignment = Alignment.CenterHorizontally,
            verticalArrangement = Arrangement.spacedBy(6.dp),
        ) {
            Text(card.name, style = MaterialTheme.typography.headlineMedium)
            Text(card.unitName, style = MaterialTheme.typography.titleMedium)
            Text(stringResource(R.string.credential_number, card.credentialNo), style = MaterialTheme.typography.titleMedium)
            if (card.roles.isNotEmpty()) {
                Text(card.roles.joinToString(stringResource(R.string.list_separator)), style = MaterialTheme.typography.bodyMedium)
            }
            qr?.let {
                Image(
                    bitmap = it.asImageBitmap(),
                    contentDescription = card.qrText,
                    filterQuality = FilterQuality.None,
                    modifier = Modifier.size(220.dp),
                )
            }
            Text(stringResource(R.string.credential_shown_at, card.shownAt), style = MaterialTheme.typography.bodySmall)
        }
    }
}
