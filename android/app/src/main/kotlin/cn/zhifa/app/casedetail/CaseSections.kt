package cn.zhifa.app.casedetail

import android.graphics.Bitmap
import android.graphics.BitmapFactory
import androidx.compose.foundation.Image
import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.lazy.LazyRow
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.Card
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.produceState
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.asImageBitmap
import androidx.compose.ui.layout.ContentScale
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import cn.zhifa.app.R
import cn.zhifa.app.ui.Bullets
import cn.zhifa.app.ui.SectionTitle
import cn.zhifa.app.ui.Tag
import cn.zhifa.ffi.CaseDetail
import cn.zhifa.ffi.EventInfo
import cn.zhifa.ffi.MediaInfo
import cn.zhifa.ffi.RecordRow
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext

@Composable
fun PartiesAndOfficers(case: CaseDetail) {
    if (case.parties.isNotEmpty()) {
        SectionTitle(stringResource(R.string.party_title))
        case.parties.forEach { p ->
            Text(stringResource(R.string.party_line, p.name, p.kind), style = MaterialTheme.typography.bodyLarge)
            Text(p.idNumber, style = MaterialTheme.typography.bodySmall)
            p.address?.let { Text(it, style = MaterialTheme.typography.bodySmall) }
        }
    }
    SectionTitle(stringResource(R.string.case_officers))
    case.officers.forEach { o ->
        Text(stringResource(R.string.partner_line, o.name, o.credentialNo), style = MaterialTheme.typography.bodyMedium)
    }
}

/** A record with what it still lacks, as the engine lists it. */
@Composable
fun RecordRowItem(row: RecordRow, onClick: () -> Unit) {
    Card(Modifier.fillMaxWidth().padding(vertical = 4.dp).clickable(onClick = onClick)) {
        Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
            Row(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalAlignment = Alignment.CenterVertically) {
                Text(row.name, style = MaterialTheme.typography.titleSmall, modifier = Modifier.weight(1f))
                if (row.revision > 1u) Tag(stringResource(R.string.record_revision, row.revision.toInt()))
                Tag(
                    stringResource(
                        when {
                            row.superseded -> R.string.record_superseded
                            row.sealed -> R.string.record_sealed
                            else -> R.string.record_draft
                        },
                    ),
                )
            }
            if (row.missingFields.isNotEmpty()) {
                Text(
                    stringResource(R.string.record_missing_fields, row.missingFields.joinToString(stringResource(R.string.list_separator))),
                    color = MaterialTheme.colorScheme.error,
                    style = MaterialTheme.typography.bodySmall,
                )
            }
            if (row.missingSignatures.isNotEmpty()) {
                Bullets(row.missingSignatures, color = MaterialTheme.colorScheme.error)
            }
            if (row.media > 0u) {
                Text(stringResource(R.string.record_media_count, row.media.toInt()), style = MaterialTheme.typography.bodySmall)
            }
        }
    }
}

@Composable
fun MediaStrip(media: List<MediaInfo>) {
    LazyRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        items(media, key = { it.sha256 }) { m -> MediaThumb(m) }
    }
}

@Composable
private fun MediaThumb(media: MediaInfo) {
    val bitmap by produceState<Bitmap?>(initialValue = null, media.thumbPath) {
        value = media.thumbPath?.let { path -> withContext(Dispatchers.IO) { BitmapFactory.decodeFile(path) } }
    }
    Surface(
        color = MaterialTheme.colorScheme.surfaceVariant,
        modifier = Modifier.size(96.dp),
    ) {
        val bmp = bitmap
        if (bmp != null) {
            Image(
                bitmap = bmp.asImageBitmap(),
                contentDescription = media.mime,
                contentScale = ContentScale.Crop,
                modifier = Modifier.fillMaxSize(),
            )
        } else {
            Box(Modifier.fillMaxSize(), contentAlignment = Alignment.Center) {
                Text(
                    text = if (media.present) media.mime else stringResource(R.string.media_not_on_device),
                    style = MaterialTheme.typography.labelSmall,
                    modifier = Modifier.padding(4.dp),
                )
            }
        }
    }
}

@Composable
fun EventItem(event: EventInfo) {
    Column(Modifier.padding(vertical = 4.dp)) {
        // The line in words from zhifa-core: names, roles, labels, no ids.
        Text(event.description, style = MaterialTheme.typography.bodyMedium)
    }
}
