package cn.zhifa.app

import android.content.Context
import androidx.work.BackoffPolicy
import androidx.work.Constraints
import androidx.work.CoroutineWorker
import androidx.work.ExistingPeriodicWorkPolicy
import androidx.work.ExistingWorkPolicy
import androidx.work.NetworkType
import androidx.work.OneTimeWorkRequestBuilder
import androidx.work.PeriodicWorkRequestBuilder
import androidx.work.WorkManager
import androidx.work.WorkerParameters
import cn.zhifa.ffi.CoreException
import java.util.concurrent.TimeUnit

/**
 * Background sync: calls [cn.zhifa.core.FieldApp.syncNow]. Retries while the
 * server cannot be reached, stops when the login is gone (the user has to log
 * in again in the app).
 */
class SyncWorker(context: Context, params: WorkerParameters) : CoroutineWorker(context, params) {

    override suspend fun doWork(): Result {
        val app = (applicationContext as ZhifaApplication).app
        return try {
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
        }
    }

    companion object {
        private const val PERIODIC = "zhifa-sync-periodic"
        private const val ONCE = "zhifa-sync-now"

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
