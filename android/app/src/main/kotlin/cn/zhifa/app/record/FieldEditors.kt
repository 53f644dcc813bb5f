package cn.zhifa.app.record

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.text.KeyboardActions
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Close
import androidx.compose.material.icons.filled.DateRange
import androidx.compose.material3.DatePicker
import androidx.compose.material3.DatePickerDialog
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.material3.rememberDatePickerState
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.focus.onFocusChanged
import androidx.compose.ui.platform.LocalFocusManager
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.text.input.ImeAction
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.unit.dp
import cn.zhifa.app.R
import cn.zhifa.app.ui.ChipChoice
import cn.zhifa.app.ui.ErrorText
import cn.zhifa.app.ui.UiText
import cn.zhifa.ffi.FieldState
import cn.zhifa.ffi.FieldType
import cn.zhifa.ffi.FieldValue
import java.time.Instant
import java.time.ZoneOffset

/** One field, rendered by its type; the engine's message is shown under it. */
@Composable
fun FieldEditor(
    field: FieldState,
    editable: Boolean,
    error: UiText?,
    onSet: (FieldValue) -> Unit,
    onClear: () -> Unit,
) {
    Column(Modifier.fillMaxWidth().padding(vertical = 6.dp)) {
        val label = if (field.required) stringResource(R.string.field_required_label, field.label) else field.label
        Text(label, style = MaterialTheme.typography.labelLarge)
        if (!editable) {
            Text(field.display.ifEmpty { stringResource(R.string.field_empty) }, style = MaterialTheme.typography.bodyLarge)
        } else {
            EditorFor(field, onSet, onClear)
        }
        field.message?.let { ErrorText(UiText.Engine(it)) }
        ErrorText(error)
    }
}

@Composable
private fun EditorFor(field: FieldState, onSet: (FieldValue) -> Unit, onClear: () -> Unit) {
    val json = field.valueJson
    when (field.fieldType) {
        FieldType.TEXT -> DraftField(FieldValues.text(json), onSet, onClear) { FieldValue.Text(it) }
        FieldType.LONG_TEXT -> DraftField(FieldValues.text(json), onSet, onClear, multiline = true) { FieldValue.Text(it) }
        FieldType.INTEGER -> DraftField(FieldValues.text(json), onSet, onClear, keyboard = KeyboardType.Number) {
            FieldValues.integer(it)
        }
        FieldType.MONEY -> DraftField(
            FieldValues.yuan(json), onSet, onClear,
            keyboard = KeyboardType.Decimal,
            suffix = stringResource(R.string.field_money_unit),
        ) { FieldValues.money(it) }
        FieldType.DATE -> DateField(FieldValues.text(json), onSet, onClear)
        FieldType.DATE_TIME -> DraftField(
            FieldValues.text(json), onSet, onClear,
            placeholder = stringResource(R.string.field_date_time_hint),
            trailing = {
                TextButton(onClick = { onSet(FieldValue.Text(FieldValues.now())) }) {
                    Text(stringResource(R.string.field_now))
                }
            },
        ) { FieldValues.dateTime(it) }
        FieldType.BOOL -> {
            val current = FieldValues.bool(json)
            ChipChoice(
                options = listOf(true, false),
                label = { stringResource(if (it) R.string.field_yes else R.string.field_no) },
                selected = { it == current },
                onClick = { v -> if (v == current) onClear() else onSet(FieldValue.Flag(v)) },
            )
        }
        FieldType.CHOICE -> {
            val current = FieldValues.text(json)
            ChipChoice(
                options = field.options,
                label = { it },
                selected = { it == current },
                onClick = { v -> if (v == current) onClear() else onSet(FieldValue.Text(v)) },
            )
        }
        FieldType.MULTI_CHOICE -> {
            val current = FieldValues.list(json)
            ChipChoice(
                options = field.options,
                label = { it },
                selected = { it in current },
                onClick = { v ->
                    val next = if (v in current) current - v else current + v
                    if (next.isEmpty()) onClear() else onSet(FieldValue.Choices(next))
                },
            )
        }
        FieldType.LIST -> ListEditor(FieldValues.list(json), onSet, onClear)
        // Questions and answers: the JSON value itself.
        FieldType.QA_LIST -> DraftField(json.orEmpty(), onSet, onClear, multiline = true) { FieldValue.Json(it) }
    }
}

/** A text input that hands its value to the engine when it loses focus or on Done. */
@Composable
private fun DraftField(
    initial: String,
    onSet: (FieldValue) -> Unit,
    onClear: () -> Unit,
    multiline: Boolean = false,
    keyboard: KeyboardType = KeyboardType.Text,
    placeholder: String? = null,
    suffix: String? = null,
    trailing: (@Composable () -> Unit)? = null,
    toValue: (String) -> FieldValue,
) {
    var draft by remember(initial) { mutableStateOf(initial) }
    var dirty by remember(initial) { mutableStateOf(false) }
    val focus = LocalFocusManager.current
    fun commit() {
        if (!dirty) return
        dirty = false
        if (draft.isBlank()) onClear() else onSet(toValue(draft))
    }
    OutlinedTextField(
        value = draft,
        onValueChange = { draft = it; dirty = true },
        singleLine = !multiline,
        minLines = if (multiline) 3 else 1,
        placeholder = placeholder?.let { { Text(it) } },
        suffix = suffix?.let { { Text(it) } },
        trailingIcon = trailing,
        keyboardOptions = KeyboardOptions(
            keyboardType = keyboard,
            imeAction = if (multiline) ImeAction.Default else ImeAction.Done,
        ),
        keyboardActions = KeyboardActions(onDone = { focus.clearFocus() }),
        modifier = Modifier
            .fillMaxWidth()
            .onFocusChanged { if (!it.isFocused) commit() },
    )
}

@OptIn(ExperimentalMaterial3Api::class)
@Composable
private fun DateField(current: String, onSet: (FieldValue) -> Unit, onClear: () -> Unit) {
    var picking by remember { mutableStateOf(false) }
    DraftField(
        current, onSet, onClear,
        placeholder = stringResource(R.string.field_date_hint),
        trailing = {
            IconButton(onClick = { picking = true }) {
                Icon(Icons.Default.DateRange, contentDescription = stringResource(R.string.field_pick_date))
            }
        },
    ) { FieldValue.Text(it.trim()) }
    if (!picking) return
    val picker = rememberDatePickerState()
    DatePickerDialog(
        onDismissRequest = { picking = false },
        confirmButton = {
            TextButton(onClick = {
                picking = false
                picker.selectedDateMillis?.let { ms ->
                    // The picker reports midnight UTC of the chosen day.
                    val day = Instant.ofEpochMilli(ms).atOffset(ZoneOffset.UTC).toLocalDate()
                    onSet(FieldValue.Text(day.toString()))
                }
            }) { Text(stringResource(R.string.action_confirm)) }
        },
        dismissButton = { TextButton(onClick = { picking = false }) { Text(stringResource(R.string.action_cancel)) } },
    ) { DatePicker(state = picker) }
}

/** A list of text items: remove any, add one at the end. */
@Composable
private fun ListEditor(items: List<String>, onSet: (FieldValue) -> Unit, onClear: () -> Unit) {
    items.forEachIndexed { index, item ->
        Row(verticalAlignment = Alignment.CenterVertically) {
            Text(item, modifier = Modifier.weight(1f))
            IconButton(onClick = {
                val next = items.filterIndexed { i, _ -> i != index }
                if (next.isEmpty()) onClear() else onSet(FieldValue.Choices(next))
            }) { Icon(Icons.Default.Close, contentDescription = stringResource(R.string.action_remove)) }
        }
    }
    var draft by remember(items) { mutableStateOf("") }
    OutlinedTextField(
        value = draft,
        onValueChange = { draft = it },
        singleLine = true,
        placeholder = { Text(stringResource(R.string.field_list_add)) },
        trailingIcon = {
            TextButton(onClick = { onSet(FieldValue.Choices(items + draft.trim())); draft = "" }, enabled = draft.isNotBlank()) {
                Text(stringResource(R.string.field_add))
            }
        },
        modifier = Modifier.fillMaxWidth(),
    )
}
