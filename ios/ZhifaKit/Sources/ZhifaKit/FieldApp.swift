import Foundation
@_exported import ZhifaFFI

/// What the screens may ask of the engine. Every call runs off the main
/// actor; every failure is a `CoreError` whose `reason` is Chinese and can be
/// shown as it is. The UI holds no rules: gates, deadlines, masking and
/// validation messages all arrive in the returned view records.
public protocol FieldApp: AnyObject, Sendable {
    // Account
    func login(server: String, username: String, password: String, deviceName: String) async throws -> OfficerInfo
    func logout(force: Bool) async throws
    /// The logged-in officer, or nil when nobody is logged in.
    func currentOfficer() async throws -> OfficerInfo?
    /// 亮证: the credential card with its QR code (PNG bytes).
    func credentialCard() async throws -> CredentialInfo

    // Cases
    /// The case list, kept current.
    func cases(filter: CaseFilter) -> AsyncThrowingStream<[CaseRow], Error>
    /// The case list once, its deadline badges as of `day` (`YYYY-MM-DD`): planning ahead.
    func casesOn(filter: CaseFilter, day: String) async throws -> [CaseRow]
    /// One case, kept current.
    func caseDetail(caseId: String) -> AsyncThrowingStream<CaseDetail, Error>
    func newCase(_ input: NewCaseInput) async throws -> CreatedCase
    /// Moves the case on; throws listing what blocks it. Returns the new stage.
    func advanceStage(caseId: String) async throws -> String
    func obligations(caseId: String?) async throws -> [ObligationInfo]
    /// The holiday calendar deadlines are counted with (a year the office loads arrives at sync).
    func calendarInfo() async throws -> CalendarInfoView
    /// Due date (`YYYY-MM-DD`) of `n` units of `rule` from `start`, with this device's calendar.
    func deadlineAdd(rule: String, start: String, n: Int64) async throws -> String
    func showCredentials(caseId: String, place: String, gps: GeoPoint?) async throws -> String
    func notifyRights(caseId: String, rights: [String], method: String, recordId: String?) async throws -> String

    // Records
    func newRecord(caseId: String, templateId: String) async throws -> String
    func recordForm(caseId: String, recordId: String) async throws -> RecordForm
    func setField(caseId: String, recordId: String, key: String, value: FieldValue) async throws
    func clearField(caseId: String, recordId: String, key: String) async throws
    func seal(caseId: String, recordId: String) async throws -> String
    func amend(caseId: String, recordId: String, reason: String) async throws -> String
    func attach(caseId: String, recordId: String, path: String, gps: GeoPoint?) async throws -> MediaInfo
    func sign(caseId: String, recordId: String, role: SignerRole, signerId: String, signerName: String, pad: SignaturePad) async throws -> SignatureInfo
    func refuse(caseId: String, recordId: String, role: SignerRole, person: String, reason: String, witness: String) async throws -> String
    func verifySeals(caseId: String) async throws -> [SealProblem]

    // Sync
    /// The sync status, kept current.
    func syncStatus() -> AsyncThrowingStream<SyncStatusInfo, Error>
    /// Byte progress of media uploads while a sync runs (for a progress bar).
    func uploadProgress() -> AsyncStream<UploadProgressInfo>
    func syncNow() async throws -> SyncSummary
    func fetchMedia(caseId: String) async throws -> Int
}

/// The filter that shows every case.
public let noFilter = CaseFilter(stage: nil, kind: nil, text: nil, dueBy: nil, unsynced: false)

extension Array where Element == CaseRow {
    /// The list after `update`, in the engine's order (last changed first):
    /// a reset replaces it, an upserted row moves to the top, a removal drops it.
    public func applying(_ update: CaseListUpdate) -> [CaseRow] {
        switch update {
        case .reset(let rows): return rows
        case .upsert(let row): return [row] + filter { $0.id != row.id }
        case .remove(let caseId): return filter { $0.id != caseId }
        }
    }
}
