import Foundation
import ZhifaFFI

/// `FieldApp` over the Rust engine (uniffi bindings). One instance per user
/// profile; `home` is a folder private to the app (Application Support).
public final class ZhifaCore: FieldApp, @unchecked Sendable {
    private let app: ZhifaApp

    /// The device key and login token stay in the app's database.
    public init(home: String) throws {
        app = try ZhifaApp.open(home: home)
    }

    /// The device key and login token are kept in `vault` (the Keychain).
    public init(home: String, vault: SecretVault) throws {
        app = try ZhifaApp.openWithVault(home: home, vault: vault)
    }

    /// Runs a blocking engine call off the caller's actor.
    private func local<T: Sendable>(_ body: @escaping @Sendable (ZhifaApp) throws -> T) async throws -> T {
        let app = self.app
        return try await Task.detached(priority: .userInitiated) { try body(app) }.value
    }

    public func login(server: String, username: String, password: String, deviceName: String) async throws -> OfficerInfo {
        try await app.login(server: server, username: username, password: password, deviceName: deviceName)
    }

    public func logout(force: Bool) async throws { try await app.logout(force: force) }

    public func currentOfficer() async throws -> OfficerInfo? {
        try await local { app in
            do { return try app.whoami() } catch CoreError.LoginRequired { return nil }
        }
    }

    public func credentialCard() async throws -> CredentialInfo { try await local { try $0.credentialCard() } }

    public func cases(filter: CaseFilter) -> AsyncThrowingStream<[CaseRow], Error> {
        AsyncThrowingStream(bufferingPolicy: .bufferingNewest(1)) { continuation in
            let listener = ListCollector(continuation)
            do {
                let handle = try app.watchCaseList(filter: filter, listener: listener)
                continuation.onTermination = { _ in handle.cancel() }
            } catch {
                continuation.finish(throwing: error)
            }
        }
    }

    public func casesOn(filter: CaseFilter, day: String) async throws -> [CaseRow] {
        try await local { try $0.listCasesOn(filter: filter, day: day) }
    }

    public func caseDetail(caseId: String) -> AsyncThrowingStream<CaseDetail, Error> {
        AsyncThrowingStream(bufferingPolicy: .bufferingNewest(1)) { continuation in
            do {
                let handle = try app.watchCase(caseId: caseId, listener: CaseForwarder(continuation))
                continuation.onTermination = { _ in handle.cancel() }
            } catch {
                continuation.finish(throwing: error)
            }
        }
    }

    public func newCase(_ input: NewCaseInput) async throws -> CreatedCase { try await local { try $0.newCase(input: input) } }
    public func advanceStage(caseId: String) async throws -> String { try await local { try $0.advanceStage(caseId: caseId) } }
    public func obligations(caseId: String?) async throws -> [ObligationInfo] { try await local { try $0.obligations(caseId: caseId) } }
    public func calendarInfo() async throws -> CalendarInfoView { try await local { try $0.calendarInfo() } }
    public func deadlineAdd(rule: String, start: String, n: Int64) async throws -> String {
        try await local { try $0.deadlineAdd(rule: rule, start: start, n: n) }
    }
    public func showCredentials(caseId: String, place: String, gps: GeoPoint?) async throws -> String {
        try await local { try $0.showCredentials(caseId: caseId, place: place, gps: gps) }
    }
    public func notifyRights(caseId: String, rights: [String], method: String, recordId: String?) async throws -> String {
        try await local { try $0.notifyRights(caseId: caseId, rights: rights, method: method, recordId: recordId) }
    }

    public func newRecord(caseId: String, templateId: String) async throws -> String {
        try await local { try $0.newRecord(caseId: caseId, templateId: templateId) }
    }
    public func recordForm(caseId: String, recordId: String) async throws -> RecordForm {
        try await local { try $0.recordEditor(caseId: caseId, recordId: recordId) }
    }
    public func setField(caseId: String, recordId: String, key: String, value: FieldValue) async throws {
        try await local { try $0.setField(caseId: caseId, recordId: recordId, key: key, value: value) }
    }
    public func clearField(caseId: String, recordId: String, key: String) async throws {
        try await local { try $0.clearField(caseId: caseId, recordId: recordId, key: key) }
    }
    public func seal(caseId: String, recordId: String) async throws -> String {
        try await local { try $0.sealRecord(caseId: caseId, recordId: recordId) }
    }
    public func amend(caseId: String, recordId: String, reason: String) async throws -> String {
        try await local { try $0.amendRecord(caseId: caseId, recordId: recordId, reason: reason) }
    }
    public func attach(caseId: String, recordId: String, path: String, gps: GeoPoint?) async throws -> MediaInfo {
        try await local { try $0.attach(caseId: caseId, recordId: recordId, path: path, gps: gps) }
    }
    public func sign(caseId: String, recordId: String, role: SignerRole, signerId: String, signerName: String, pad: SignaturePad) async throws -> SignatureInfo {
        try await local { try $0.sign(caseId: caseId, recordId: recordId, role: role, signerId: signerId, signerName: signerName, pad: pad) }
    }
    public func refuse(caseId: String, recordId: String, role: SignerRole, person: String, reason: String, witness: String) async throws -> String {
        try await local { try $0.refuse(caseId: caseId, recordId: recordId, role: role, person: person, reason: reason, witness: witness) }
    }
    public func verifySeals(caseId: String) async throws -> [SealProblem] { try await local { try $0.verifySeals(caseId: caseId) } }

    public func syncStatus() -> AsyncThrowingStream<SyncStatusInfo, Error> {
        AsyncThrowingStream(bufferingPolicy: .bufferingNewest(16)) { continuation in
            do {
                let handle = try app.watchSync(listener: SyncForwarder(continuation))
                continuation.onTermination = { _ in handle.cancel() }
            } catch {
                continuation.finish(throwing: error)
            }
        }
    }

    public func uploadProgress() -> AsyncStream<UploadProgressInfo> {
        AsyncStream(bufferingPolicy: .bufferingNewest(1)) { continuation in
            let handle = app.watchUploads(listener: UploadForwarder(continuation))
            continuation.onTermination = { _ in handle.cancel() }
        }
    }

    public func syncNow() async throws -> SyncSummary { try await app.syncNow() }
    public func fetchMedia(caseId: String) async throws -> Int { Int(try await app.fetchMedia(caseId: caseId)) }
}

/// Folds list updates into whole lists for the stream.
private final class ListCollector: CaseListListener, @unchecked Sendable {
    private let continuation: AsyncThrowingStream<[CaseRow], Error>.Continuation
    private let lock = NSLock()
    private var rows: [CaseRow] = []

    init(_ continuation: AsyncThrowingStream<[CaseRow], Error>.Continuation) { self.continuation = continuation }

    func onUpdate(update: CaseListUpdate) {
        lock.lock()
        rows = rows.applying(update)
        let now = rows
        lock.unlock()
        continuation.yield(now)
    }
}

private final class CaseForwarder: CaseListener, @unchecked Sendable {
    private let continuation: AsyncThrowingStream<CaseDetail, Error>.Continuation
    init(_ continuation: AsyncThrowingStream<CaseDetail, Error>.Continuation) { self.continuation = continuation }
    func onCase(case: CaseDetail) { continuation.yield(`case`) }
}

private final class UploadForwarder: UploadListener, @unchecked Sendable {
    private let continuation: AsyncStream<UploadProgressInfo>.Continuation
    init(_ continuation: AsyncStream<UploadProgressInfo>.Continuation) { self.continuation = continuation }
    func onProgress(progress: UploadProgressInfo) { continuation.yield(progress) }
}

private final class SyncForwarder: SyncListener, @unchecked Sendable {
    private let continuation: AsyncThrowingStream<SyncStatusInfo, Error>.Continuation
    init(_ continuation: AsyncThrowingStream<SyncStatusInfo, Error>.Continuation) { self.continuation = continuation }
    func onStatus(status: SyncStatusInfo) { continuation.yield(status) }
}
