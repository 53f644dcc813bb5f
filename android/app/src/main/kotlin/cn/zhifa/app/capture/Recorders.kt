package cn.zhifa.app.capture

import android.annotation.SuppressLint
import android.content.Context
import android.media.MediaRecorder
import android.os.Build
import androidx.camera.core.ImageCapture
import androidx.camera.core.ImageCaptureException
import androidx.camera.video.FileOutputOptions
import androidx.camera.video.Recorder
import androidx.camera.video.Recording
import androidx.camera.video.VideoRecordEvent
import androidx.core.content.ContextCompat
import java.io.File
import java.text.SimpleDateFormat
import java.util.Date
import java.util.Locale

/** A fresh file in the cache for one capture. */
internal fun captureFile(context: Context, ext: String): File {
    val dir = File(context.cacheDir, "capture").apply { mkdirs() }
    val stamp = SimpleDateFormat("yyyyMMdd-HHmmss-SSS", Locale.US).format(Date())
    return File(dir, "$stamp.$ext")
}

/** Takes one photo into [file]. */
internal fun takePhoto(
    context: Context,
    imageCapture: ImageCapture,
    file: File,
    onSaved: () -> Unit,
    onError: (Exception) -> Unit,
) {
    val options = ImageCapture.OutputFileOptions.Builder(file).build()
    imageCapture.takePicture(
        options,
        ContextCompat.getMainExecutor(context),
        object : ImageCapture.OnImageSavedCallback {
            override fun onImageSaved(outputFileResults: ImageCapture.OutputFileResults) = onSaved()
            override fun onError(exception: ImageCaptureException) = onError(exception)
        },
    )
}

/** Starts a video with sound (when permitted) into [file]; [onDone] runs when the file is complete. */
@SuppressLint("MissingPermission")
internal fun startVideo(
    context: Context,
    recorder: Recorder,
    file: File,
    withAudio: Boolean,
    onDone: (error: Throwable?) -> Unit,
): Recording {
    val pending = recorder.prepareRecording(context, FileOutputOptions.Builder(file).build())
        .let { if (withAudio) it.withAudioEnabled() else it }
    return pending.start(ContextCompat.getMainExecutor(context)) { event ->
        if (event is VideoRecordEvent.Finalize) {
            onDone(if (event.hasError()) event.cause ?: IllegalStateException("video error ${event.error}") else null)
        }
    }
}

/** Audio only, with the platform recorder (AAC in MPEG-4). */
internal class AudioRecorder(private val context: Context) {
    private var recorder: MediaRecorder? = null
    var file: File? = null
        private set

    fun start() {
        val out = captureFile(context, "m4a")
        val r = if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.S) MediaRecorder(context) else @Suppress("DEPRECATION") MediaRecorder()
        r.setAudioSource(MediaRecorder.AudioSource.MIC)
        r.setOutputFormat(MediaRecorder.OutputFormat.MPEG_4)
        r.setAudioEncoder(MediaRecorder.AudioEncoder.AAC)
        r.setAudioSamplingRate(44_100)
        r.setAudioEncodingBitRate(96_000)
        r.setOutputFile(out.absolutePath)
        r.prepare()
        r.start()
        recorder = r
        file = out
    }

    /** Stops and returns the finished file. */
    fun stop(): File? {
        val r = recorder ?: return null
        recorder = null
        runCatching { r.stop() }
        r.release()
        return file
    }

    fun release() {
        recorder?.release()
        recorder = null
    }
}
