package cn.zhifa.core

import cn.zhifa.ffi.CalendarInfoView
import cn.zhifa.ffi.CaseDetail
import cn.zhifa.ffi.CaseFilter
import cn.zhifa.ffi.CaseListListener
import cn.zhifa.ffi.CaseListUpdate
import cn.zhifa.ffi.CaseListener
import cn.zhifa.ffi.CaseRow
import cn.zhifa.ffi.CoreException
import cn.zhifa.ffi.CreatedCase
import cn.zhifa.ffi.CredentialInfo
import cn.zhifa.ffi.FieldValue
import cn.zhifa.ffi.GeoPoint
import cn.zhifa.ffi.MediaInfo
import cn.zhifa.ffi.NewCaseInput
import cn.zhifa.ffi.ObligationInfo
import cn.zhifa.ffi.OfficerInfo
import cn.zhifa.ffi.RecordForm
import cn.zhifa.ffi.SecretVault
import cn.zhifa.ffi.SealProblem
import cn.zhifa.ffi.SignaturePad
import cn.zhifa.ffi.SignatureInfo
import cn.zhifa.ffi.SignerRole
import cn.zhifa.ffi.SyncListener
import cn.zhifa.ffi.SyncStatusInfo
import cn.zhifa.ffi.SyncSummary
import cn.zhifa.ffi.UploadListener
import cn.zhifa.ffi.UploadProgressInfo
import cn.zhifa.ffi.ZhifaApp
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.channels.awaitClose
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.buffer
import kotlinx.coroutines.flow.callbackFlow
import kotlinx.coroutines.flow.conflate
import kotlinx.coroutines.flow.flowOn
import kotlinx.coroutines.withContext

/**
 * [FieldApp] over the Rust engine (uniffi bindings). One instance per user
 * profile; `home` is a folder private to the app (Android `filesDir`).
 */
class ZhifaCore private constructor(
    private val app: ZhifaApp,
    private val io: CoroutineDispatcher,
) : FieldApp, AutoCloseable {
    /** The device key and login token stay in the app's database. */
    constructor(home: String, io: CoroutineDispatcher = Dispatchers.IO) : this(ZhifaApp.open(home), io)

    /** The device key and login token are kept in [vault] (Android Keystore). */
    constructor(home: String, vault: SecretVault, io: CoroutineDispatcher = Dispatchers.IO) :
        this(ZhifaApp.openWithVault(home, vault), io)

    private suspend fun <T> local(block: ZhifaApp.() -> T): T = withContext(io) { app.block() }

    override suspend fun login(server: String, username: String, password: String, deviceName: String): OfficerInfo =
        app.login(server, username, password, deviceName)

    override suspend fun logout(force: Boolean) = app.logout(force)

    override suspend fun currentOfficer(): OfficerInfo? = local {
        try {
            whoami()
        } catch (e: CoreException.LoginRequired) {
            null
        }
    }

    override suspend fun credentialCard(): CredentialInfo = local { credentialCard() }

    override fun cases(filter: CaseFilter): Flow<List<CaseRow>> = callbackFlow {
        var rows = emptyList<CaseRow>()
        val handle = app.watchCaseList(filter, object : CaseListListener {
            override fun onUpdate(update: CaseListUpdate) {
                rows = rows.applying(update)
                trySend(rows)
            }
        })
        awaitClose { handle.cancel(); handle.close() }
    }.conflate().flowOn(io)

    override suspend fun casesOn(filter: CaseFilter, day: String): List<CaseRow> = local { listCasesOn(filter, day) }

    override fun case(caseId: String): Flow<CaseDetail> = callbackFlow {
        val handle = app.watchCase(caseId, object : CaseListener {
            override fun onCase(case: CaseDetail) {
                trySend(case)
            }
        })
        awaitClose { handle.cancel(); handle.close() }
    }.conflate().flowOn(io)

    override suspend fun newCase(input: NewCaseInput): CreatedCase = local { newCase(input) }
    override suspend fun advanceStage(caseId: String): String = local { advanceStage(caseId) }
    override suspend fun obligations(caseId: String?): List<ObligationInfo> = local { obligations(caseId) }
    override suspend fun calendarInfo(): CalendarInfoView = local { calendarInfo() }
    override suspend fun deadlineAdd(rule: String, start: String, n: Long): String =
        local { deadlineAdd(rule, start, n) }
    override suspend fun showCredentials(caseId: String, place: String, gps: GeoPoint?): String =
        local { showCredentials(caseId, place, gps) }
    override suspend fun notifyRights(caseId: String, rights: List<String>, method: String, recordId: String?): String =
        local { notifyRights(caseId, rights, method, recordId) }

    override suspend fun newRecord(caseId: String, templateId: String): String = local { newRecord(caseId, templateId) }
    override suspend fun recordForm(caseId: String, recordId: String): RecordForm = local { recordEditor(caseId, recordId) }
    override suspend fun setField(caseId: String, recordId: String, key: String, value: FieldValue) =
        local { setField(caseId, recordId, key, value) }
    override suspend fun clearField(caseId: String, recordId: String, key: String) = local { clearField(caseId, recordId, key) }
    override suspend fun seal(caseId: String, recordId: String): String = local { sealRecord(caseId, recordId) }
    override suspend fun amend(caseId: String, recordId: String, reason: String): String =
        local { amendRecord(caseId, recordId, reason) }
    override suspend fun attach(caseId: String, recordId: String, path: String, gps: GeoPoint?): MediaInfo =
        local { attach(caseId, recordId, path, gps) }
    override suspend fun sign(
        caseId: String, recordId: String, role: SignerRole, signerId: String, signerName: String, pad: SignaturePad,
    ): SignatureInfo = local { sign(caseId, recordId, role, signerId, signerName, pad) }
    override suspend fun refuse(
        caseId: String, recordId: String, role: SignerRole, person: String, reason: String, witness: String,
    ): String = local { refuse(caseId, recordId, role, person, reason, witness) }
    override suspend fun verifySeals(caseId: String): List<SealProblem> = local { verifySeals(caseId) }

    override fun syncStatus(): Flow<SyncStatusInfo> = callbackFlow {
        val handle = app.watchSync(object : SyncListener {
            override fun onStatus(status: SyncStatusInfo) {
                trySend(status)
            }
        })
        awaitClose { handle.cancel(); handle.close() }
    }.buffer(16).flowOn(io)

    override fun uploadProgress(): Flow<UploadProgressInfo> = callbackFlow {
        val handle = app.watchUploads(object : UploadListener {
            override fun onProgress(progress: UploadProgressInfo) {
                trySend(progress)
            }
        })
        awaitClose { handle.cancel(); handle.close() }
    }.conflate().flowOn(io)

    override suspend fun syncNow(): SyncSummary = app.syncNow()
    override suspend fun fetchMedia(caseId: String): Int = app.fetchMedia(caseId).toInt()

    /** Releases the engine. */
    override fun close() = app.close()
}
