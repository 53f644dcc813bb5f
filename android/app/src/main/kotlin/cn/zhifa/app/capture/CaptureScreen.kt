package cn.zhifa.app.capture

import android.Manifest
import android.content.Context
import android.content.pm.PackageManager
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.contract.ActivityResultContracts
import androidx.camera.core.CameraSelector
import androidx.camera.core.ImageCapture
import androidx.camera.core.Preview
import androidx.camera.lifecycle.ProcessCameraProvider
import androidx.camera.video.FallbackStrategy
import androidx.camera.video.Quality
import androidx.camera.video.QualitySelector
import androidx.camera.video.Recorder
import androidx.camera.video.Recording
import androidx.camera.video.VideoCapture
import androidx.camera.view.PreviewView
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.Button
import androidx.compose.material3.ButtonDefaults
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.compose.ui.viewinterop.AndroidView
import androidx.core.content.ContextCompat
import androidx.lifecycle.compose.LocalLifecycleOwner
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.lifecycle.viewmodel.compose.viewModel
import cn.zhifa.app.R
import cn.zhifa.app.ui.BackTopBar
import cn.zhifa.app.ui.ChipChoice
import cn.zhifa.app.ui.ErrorText
import cn.zhifa.app.ui.Locator
import cn.zhifa.app.ui.toUiText
import cn.zhifa.core.FieldApp

private fun Context.granted(permission: String) =
    ContextCompat.checkSelfPermission(this, permission) == PackageManager.PERMISSION_GRANTED

/** Photo, video (CameraX) and audio capture for one record; each file is attached at once. */
@Composable
fun CaptureScreen(app: FieldApp, caseId: String, recordId: String, onBack: () -> Unit) {
    val vm = viewModel(key = "capture-$caseId-$recordId") { CaptureViewModel(app, caseId, recordId) }
    val state by vm.state.collectAsStateWithLifecycle()
    val context = LocalContext.current
    val lifecycleOwner = LocalLifecycleOwner.current

    var cameraAllowed by remember { mutableStateOf(context.granted(Manifest.permission.CAMERA)) }
    val ask = rememberLauncherForActivityResult(ActivityResultContracts.RequestMultiplePermissions()) {
        cameraAllowed = context.granted(Manifest.permission.CAMERA)
    }
    LaunchedEffect(Unit) {
        val wanted = arrayOf(Manifest.permission.CAMERA, Manifest.permission.RECORD_AUDIO) + Locator.permissions
        if (wanted.any { !context.granted(it) }) ask.launch(wanted)
    }

    val previewView = remember { PreviewView(context) }
    val imageCapture = remember { ImageCapture.Builder().setCaptureMode(ImageCapture.CAPTURE_MODE_MINIMIZE_LATENCY).build() }
    // HD when the camera has it, else the nearest quality it has (QualitySelector docs: end with an
    // open-ended fallback so a supported quality is always chosen; the photo use case is bound with it).
    val recorder = remember {
        Recorder.Builder()
            .setQualitySelector(QualitySelector.from(Quality.HD, FallbackStrategy.lowerQualityOrHigherThan(Quality.HD)))
            .build()
    }
    val videoCapture = remember { VideoCapture.withOutput(recorder) }
    var recording by remember { mutableStateOf<Recording?>(null) }
    val audio = remember { AudioRecorder(context) }

    DisposableEffect(cameraAllowed, lifecycleOwner) {
        val future = ProcessCameraProvider.getInstance(context)
        if (cameraAllowed) {
            future.addListener({
                val provider = future.get()
                val preview = Preview.Builder().build().also { it.setSurfaceProvider(previewView.surfaceProvider) }
                runCatching {
                    provider.unbindAll()
                    provider.bindToLifecycle(
                        lifecycleOwner, CameraSelector.DEFAULT_BACK_CAMERA, preview, imageCapture, videoCapture,
                    )
                }.onFailure { vm.fail(it.toUiText()) }
            }, ContextCompat.getMainExecutor(context))
        }
        onDispose {
            recording?.stop()
            audio.release()
            if (future.isDone) runCatching { future.get().unbindAll() }
        }
    }

    fun gps() = Locator.lastFix(context)

    fun shutter() {
        when (state.mode) {
            CaptureMode.PHOTO -> {
                val file = captureFile(context, "jpg")
                takePhoto(context, imageCapture, file, onSaved = { vm.attach(file, gps()) }, onError = { vm.fail(it.toUiText()) })
            }
            CaptureMode.VIDEO -> {
                val active = recording
                if (active != null) {
                    active.stop()
                    recording = null
                } else {
                    val file = captureFile(context, "mp4")
                    val withAudio = context.granted(Manifest.permission.RECORD_AUDIO)
                    recording = startVideo(context, recorder, file, withAudio) { error ->
                        vm.setRecording(false)
                        if (error == null) vm.attach(file, gps()) else vm.fail(error.toUiText())
                    }
                    vm.setRecording(true)
                }
            }
            CaptureMode.AUDIO -> {
                if (state.recording) {
                    vm.setRecording(false)
                    audio.stop()?.let { vm.attach(it, gps()) }
                } else {
                    runCatching { audio.start() }
                        .onSuccess { vm.setRecording(true) }
                        .onFailure { vm.fail(it.toUiText()) }
                }
            }
        }
    }

    Scaffold(topBar = { BackTopBar(stringResource(R.string.capture_title), onBack) }) { padding ->
        Column(Modifier.fillMaxSize().padding(padding)) {
            Box(Modifier.weight(1f).fillMaxWidth(), contentAlignment = Alignment.Center) {
                if (cameraAllowed) {
                    AndroidView(factory = { previewView }, modifier = Modifier.fillMaxSize())
                } else {
                    Text(stringResource(R.string.capture_no_permission), modifier = Modifier.padding(24.dp))
                }
            }
            Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                ChipChoice(
                    options = CaptureMode.entries,
                    label = { stringResource(modeLabel(it)) },
                    selected = { it == state.mode },
                    onClick = vm::setMode,
                    enabled = !state.recording,
                )
                ErrorText(state.error)
                if (state.attached.isNotEmpty()) {
                    Text(
                        stringResource(R.string.capture_attached, state.attached.size),
                        color = MaterialTheme.colorScheme.primary,
                    )
                }
                Button(
                    onClick = { shutter() },
                    enabled = !state.saving,
                    colors = if (state.recording) {
                        ButtonDefaults.buttonColors(containerColor = MaterialTheme.colorScheme.error)
                    } else {
                        ButtonDefaults.buttonColors()
                    },
                    modifier = Modifier.fillMaxWidth(),
                ) { Text(stringResource(shutterLabel(state.mode, state.recording))) }
            }
        }
    }
}

private fun modeLabel(mode: CaptureMode): Int = when (mode) {
    CaptureMode.PHOTO -> R.string.capture_photo
    CaptureMode.VIDEO -> R.string.capture_video
    CaptureMode.AUDIO -> R.string.capture_audio
}

private fun shutterLabel(mode: CaptureMode, recording: Boolean): Int = when {
    mode == CaptureMode.PHOTO -> R.string.capture_take_photo
    recording -> R.string.capture_stop
    else -> R.string.capture_start
}
