package cn.zhifa.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.material3.FilterChip
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp

/** One chip per option; [selected] decides which are on. */
@OptIn(ExperimentalLayoutApi::class)
@Composable
fun <T> ChipChoice(
    options: List<T>,
    label: @Composable (T) -> String,
    selected: (T) -> Boolean,
    onClick: (T) -> Unit,
    modifier: Modifier = Modifier,
    enabled: Boolean = true,
) {
    FlowRow(modifier = modifier, horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        options.forEach { option ->
            FilterChip(
                selected = selected(option),
                onClick = { onClick(option) },
                label = { Text(label(option)) },
                enabled = enabled,
            )
        }
    }
}
