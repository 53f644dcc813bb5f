package cn.zhifa.app

import android.app.Application
import cn.zhifa.core.FieldApp
import cn.zhifa.core.Reference
import cn.zhifa.core.ZhifaCore
import java.io.File

/** Holds the one engine instance of the process and starts background sync. */
class ZhifaApplication : Application() {
    /** The engine; screens see it only as [FieldApp]. */
    lateinit var core: ZhifaCore
        private set

    /** Offline reference data (templates). */
    val reference: Reference by lazy { Reference() }

    val app: FieldApp get() = core

    override fun onCreate() {
        super.onCreate()
        val home = File(filesDir.absolutePath + "/zhifa").apply { mkdirs() }
        core = ZhifaCore(home.absolutePath, KeystoreVault(this))
        SyncWorker.schedulePeriodic(this)
    }
}
