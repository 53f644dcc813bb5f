package cn.zhifa.core

import cn.zhifa.ffi.CalendarInfoView
import cn.zhifa.ffi.CaseDetail
import cn.zhifa.ffi.CaseFilter
import cn.zhifa.ffi.CaseRow
import cn.zhifa.ffi.CreatedCase
import cn.zhifa.ffi.CredentialInfo
import cn.zhifa.ffi.FieldValue
import cn.zhifa.ffi.GeoPoint
import cn.zhifa.ffi.MediaInfo
import cn.zhifa.ffi.NewCaseInput
import cn.zhifa.ffi.ObligationInfo
import cn.zhifa.ffi.OfficerInfo
import cn.zhifa.ffi.RecordForm
import cn.zhifa.ffi.SealProblem
import cn.zhifa.ffi.SignaturePad
import cn.zhifa.ffi.SignatureInfo
import cn.zhifa.ffi.SignerRole
import cn.zhifa.ffi.SyncStatusInfo
import cn.zhifa.ffi.SyncSummary
import cn.zhifa.ffi.UploadProgressInfo
import kotlinx.coroutines.flow.Flow

/**
 * What the screens may ask of the engine. Every function is main-safe (the
 * engine runs on an IO dispatcher) and every failure is a
 * [cn.zhifa.ffi.CoreException] whose [reasonText] is Chinese and can be shown
 * as it is. The UI holds no rules: gates, deadlines, masking and validation
 * messages all arrive in the returned view records.
 */
interface FieldApp {
    // --- account --------------------------------------------------------
    /** Logs in at [server] and registers this phone. */
    suspend fun login(server: String, username: String, password: String, deviceName: String): OfficerInfo
    /** Logs out; refused while work is unsynced unless [force]. */
    suspend fun logout(force: Boolean = false)
    /** The logged-in officer, or null when nobody is logged in. */
    suspend fun currentOfficer(): OfficerInfo?
    /** 亮证: the credential card with its QR code (PNG bytes). */
    suspend fun credentialCard(): CredentialInfo

    // --- cases ----------------------------------------------------------
    /** The case list, kept current (rows change as cases change or sync). */
    fun cases(filter: CaseFilter = NoFilter): Flow<List<CaseRow>>
    /** The case list once, its deadline badges as of [day] (`YYYY-MM-DD`): planning ahead. */
    suspend fun casesOn(filter: CaseFilter, day: String): List<CaseRow>
    /** One case, kept current. */
    fun case(caseId: String): Flow<CaseDetail>
    /** Creates a case (from a template or a 双随机 task). */
    suspend fun newCase(input: NewCaseInput): CreatedCase
    /** Moves the case on; fails listing what blocks it. Returns the new stage. */
    suspend fun advanceStage(caseId: String): String
    /** Statutory obligations with due days, of one case or of all. */
    suspend fun obligations(caseId: String? = null): List<ObligationInfo>
    /** The holiday calendar deadlines are counted with (a year the office loads arrives at sync). */
    suspend fun calendarInfo(): CalendarInfoView
    /** Due date (`YYYY-MM-DD`) of [n] units of [rule] from [start], with this device's calendar. */
    suspend fun deadlineAdd(rule: String, start: String, n: Long): String
    /** Records that the credentials were shown (亮证) at [place]. */
    suspend fun showCredentials(caseId: String, place: String, gps: GeoPoint?): String
    /** Records the rights notification ((二) 第十一条). */
    suspend fun notifyRights(caseId: String, rights: List<String>, method: String, recordId: String?): String

    // --- records --------------------------------------------------------
    /** Creates a record from a template; returns its id. */
    suspend fun newRecord(caseId: String, templateId: String): String
    /** The record editor (fields with validation messages). */
    suspend fun recordForm(caseId: String, recordId: String): RecordForm
    /** Sets a field. */
    suspend fun setField(caseId: String, recordId: String, key: String, value: FieldValue)
    /** Clears a field. */
    suspend fun clearField(caseId: String, recordId: String, key: String)
    /** Seals the record; returns its digest. */
    suspend fun seal(caseId: String, recordId: String): String
    /** Starts an amendment of a sealed record; returns the new record id. */
    suspend fun amend(caseId: String, recordId: String, reason: String): String
    /** Copies a photo, audio or video file into the case. */
    suspend fun attach(caseId: String, recordId: String, path: String, gps: GeoPoint?): MediaInfo
    /** Adds a handwritten signature to a sealed record. */
    suspend fun sign(caseId: String, recordId: String, role: SignerRole, signerId: String, signerName: String, pad: SignaturePad): SignatureInfo
    /** Records a refusal to sign with a witness ((二) 第十二条). */
    suspend fun refuse(caseId: String, recordId: String, role: SignerRole, person: String, reason: String, witness: String): String
    /** Seal verification; empty when every seal verifies. */
    suspend fun verifySeals(caseId: String): List<SealProblem>

    // --- sync -----------------------------------------------------------
    /** The sync status, kept current. */
    fun syncStatus(): Flow<SyncStatusInfo>
    /** Byte progress of media uploads while a sync runs (for a progress bar). */
    fun uploadProgress(): Flow<UploadProgressInfo>
    /** Syncs now (also what background sync calls). */
    suspend fun syncNow(): SyncSummary
    /** Downloads the files of a case this phone lacks. */
    suspend fun fetchMedia(caseId: String): Int
}

/** The filter that shows every case. */
val NoFilter = CaseFilter(stage = null, kind = null, text = null, dueBy = null, unsynced = false)
