package cn.zhifa.app

import android.app.Notification
import android.app.NotificationChannel
import android.app.NotificationManager
import android.content.Context
import android.content.pm.ServiceInfo
import android.os.Build
import androidx.work.BackoffPolicy
import androidx.work.Constraints
import androidx.work.CoroutineWorker
import androidx.work.ExistingPeriodicWorkPolicy
import androidx.work.ExistingWorkPolicy
import androidx.work.ForegroundInfo
import androidx.work.NetworkType
import androidx.work.OneTimeWorkRequestBuilder
import androidx.work.PeriodicWorkRequestBuilder
import androidx.work.WorkManager
import androidx.work.WorkerParameters
import cn.zhifa.ffi.CoreException
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch

/**
 * Background sync: calls [cn.zhifa.core.FieldApp.syncNow]. Retries while the
 * server cannot be reached, stops when the login is gone (the user has to log
 * in again in the app).
 *
 * A sync may upload long videos over a slow network, so the worker runs as a
 * foreground service (type `dataSync`) with a notification showing the
 * upload's progress; the engine resumes an interrupted upload from the
 * server's offset at the next run.
 */
class SyncWorker(context: Context, params: WorkerParameters) : CoroutineWorker(context, params) {

    override suspend fun doWork(): Result = coroutineScope {
        val app = (applicationContext as ZhifaApplication).app
        // Android 12+ may refuse a foreground start from the background; the
        // sync then runs as ordinary work.
        runCatching { setForeground(foregroundInfo(null)) }
        var shown = -1
        val progress = launch {
            app.uploadProgress().collect { p ->
                val percent = if (p.total == 0uL) 100 else (p.bytesSent * 100uL / p.total).toInt()
                if (percent != shown) {
                    shown = percent
                    runCatching { setForeground(foregroundInfo(percent)) }
                }
            }
        }
        try {
            app.syncNow()
            Result.success()
        } catch (e: CoreException.Offline) {
            Result.retry()
        } catch (e: CoreException.Server) {
            Result.retry()
        } catch (e: CoreException.LoginRequired) {
            Result.failure()
        } catch (e: CoreException) {
            Result.failure()
        } finally {
            progress.cancel()
        }
    }

    override suspend fun getForegroundInfo(): ForegroundInfo = foregroundInfo(null)

    /** The ongoing notification; [percent] of the current upload, if any. */
    private fun foregroundInfo(percent: Int?): ForegroundInfo {
        val ctx = applicationContext
        val nm = ctx.getSystemService(NotificationManager::class.java)
        nm.createNotificationChannel(
            NotificationChannel(
                CHANNEL,
                ctx.getString(R.string.sync_notification_channel),
                NotificationManager.IMPORTANCE_LOW,
            ),
        )
        val builder = Notification.Builder(ctx, CHANNEL)
            .setSmallIcon(android.R.drawable.stat_sys_upload)
            .setContentTitle(ctx.getString(R.string.sync_notification_title))
            .setOngoing(true)
            .setOnlyAlertOnce(true)
        if (percent == null) {
            builder.setProgress(0, 0, true)
        } else {
            builder.setProgress(100, percent, false)
                .setContentText(ctx.getString(R.string.sync_notification_upload, percent))
        }
        val n = builder.build()
        return if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.Q) {
            ForegroundInfo(NOTIFICATION_ID, n, ServiceInfo.FOREGROUND_SERVICE_TYPE_DATA_SYNC)
        } else {
            ForegroundInfo(NOTIFICATION_ID, n)
        }
    }

    companion object {
        private const val PERIODIC = "zhifa-sync-periodic"
        private const val ONCE = "zhifa-sync-now"
        private const val CHANNEL = "zhifa-sync"
        private const val NOTIFICATION_ID = 7301

        private val online = Constraints.Builder()
            .setRequiredNetworkType(NetworkType.CONNECTED)
            .build()

        /** Every 15 minutes while a network is connected. */
        fun schedulePeriodic(context: Context) {
            val request = PeriodicWorkRequestBuilder<SyncWorker>(15, TimeUnit.MINUTES)
                .setConstraints(online)
                .setBackoffCriteria(BackoffPolicy.EXPONENTIAL, 1, TimeUnit.MINUTES)
                .build()
            WorkManager.getInstance(context)
                .enqueueUniquePeriodicWork(PERIODIC, ExistingPeriodicWorkPolicy.KEEP, request)
        }

        /** One sync as soon as a network is connected (e.g. after saving work). */
        fun syncSoon(context: Context) {
            val request = OneTimeWorkRequestBuilder<SyncWorker>()
                .setConstraints(online)
                .setBackoffCriteria(BackoffPolicy.EXPONENTIAL, 30, TimeUnit.SECONDS)
                .build()
            WorkManager.getInstance(context)
                .enqueueUniqueWork(ONCE, ExistingWorkPolicy.REPLACE, request)
        }

        /** Stops background sync (after logout). */
        fun cancelAll(context: Context) {
            WorkManager.getInstance(context).cancelUniqueWork(PERIODIC)
            WorkManager.getInstance(context).cancelUniqueWork(ONCE)
        }
    }
}
