package cn.zhifa.app.newcase

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Close
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Switch
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.unit.dp
import cn.zhifa.app.R
import cn.zhifa.app.ui.ChipChoice
import cn.zhifa.app.ui.SectionTitle
import cn.zhifa.ffi.PartnerEntry
import cn.zhifa.ffi.PartyKind

@Composable
fun PartySection(party: PartyDraft, onChange: ((PartyDraft) -> PartyDraft) -> Unit) {
    Row(verticalAlignment = Alignment.CenterVertically) {
        SectionTitle(stringResource(R.string.party_title), Modifier.weight(1f))
        Switch(checked = party.enabled, onCheckedChange = { on -> onChange { it.copy(enabled = on) } })
    }
    if (!party.enabled) return
    ChipChoice(
        options = PartyKind.entries,
        label = { stringResource(partyKindLabel(it)) },
        selected = { it == party.kind },
        onClick = { k -> onChange { it.copy(kind = k) } },
    )
    TextInput(party.name, R.string.party_name) { v -> onChange { it.copy(name = v) } }
    TextInput(party.idNumber, R.string.party_id_number) { v -> onChange { it.copy(idNumber = v) } }
    TextInput(party.representative, R.string.party_representative) { v -> onChange { it.copy(representative = v) } }
    TextInput(party.address, R.string.party_address) { v -> onChange { it.copy(address = v) } }
    TextInput(party.phone, R.string.party_phone, KeyboardType.Phone) { v -> onChange { it.copy(phone = v) } }
}

@Composable
fun PartnerSection(partners: List<PartnerEntry>, onAdd: (PartnerEntry) -> Unit, onRemove: (Int) -> Unit) {
    SectionTitle(stringResource(R.string.partner_title))
    partners.forEachIndexed { index, p ->
        Row(verticalAlignment = Alignment.CenterVertically) {
            Text(
                stringResource(R.string.partner_line, p.name, p.credentialNo),
                modifier = Modifier.weight(1f),
            )
            IconButton(onClick = { onRemove(index) }) {
                Icon(Icons.Default.Close, contentDescription = stringResource(R.string.action_remove))
            }
        }
    }
    var id by rememberSaveable { mutableStateOf("") }
    var name by rememberSaveable { mutableStateOf("") }
    var credential by rememberSaveable { mutableStateOf("") }
    var unit by rememberSaveable { mutableStateOf("") }
    Column(verticalArrangement = Arrangement.spacedBy(4.dp)) {
        TextInput(name, R.string.partner_name) { name = it }
        TextInput(credential, R.string.partner_credential) { credential = it }
        TextInput(id, R.string.partner_account) { id = it }
        TextInput(unit, R.string.partner_unit) { unit = it }
        OutlinedButton(
            onClick = {
                onAdd(PartnerEntry(id = id.trim(), name = name.trim(), credentialNo = credential.trim(), unitId = unit.trim()))
                id = ""; name = ""; credential = ""; unit = ""
            },
            enabled = name.isNotBlank(),
        ) { Text(stringResource(R.string.partner_add)) }
    }
}

@Composable
private fun TextInput(
    value: String,
    label: Int,
    keyboard: KeyboardType = KeyboardType.Text,
    onChange: (String) -> Unit,
) {
    OutlinedTextField(
        value = value,
        onValueChange = onChange,
        label = { Text(stringResource(label)) },
        singleLine = true,
        keyboardOptions = KeyboardOptions(keyboardType = keyboard),
        modifier = Modifier.fillMaxWidth(),
    )
}

fun partyKindLabel(kind: PartyKind): Int = when (kind) {
    PartyKind.NATURAL_PERSON -> R.string.party_kind_natural
    PartyKind.LEGAL_PERSON -> R.string.party_kind_legal
    PartyKind.OTHER_ORGANISATION -> R.string.party_kind_other
}
