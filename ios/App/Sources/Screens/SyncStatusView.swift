import SwiftUI
import ZhifaKit

/// Sync: what is waiting to go to the server, the last sync, a manual sync
/// with its summary, and logging out.
@MainActor
struct SyncStatusView: View {
    @EnvironmentObject private var model: AppModel
    @State private var status: SyncStatusInfo?
    @State private var summary: SyncSummary?
    @State private var busy = false
    /// The file being uploaded now (nil when none), for the progress bar.
    @State private var upload: UploadProgressInfo?
    @State private var error: String?
    @State private var confirmForcedLogout = false

    var body: some View {
        Form {
            if let officer = model.officer {
                Section {
                    LabeledContent { Text(verbatim: officer.name) } label: { Text("sync.officer") }
                    LabeledContent { Text(verbatim: officer.unitName) } label: { Text("credential.unit") }
                } header: { Text("sync.account") }
            }
            if let s = status {
                Section {
                    LabeledContent { Text(verbatim: s.server ?? "—") } label: { Text("sync.server") }
                    LabeledContent { Text(verbatim: s.lastSync ?? String(localized: "sync.never")) } label: { Text("sync.last") }
                    LabeledContent { Text(verbatim: "\(s.pendingCases)") } label: { Text("sync.pendingCases") }
                    LabeledContent { Text(verbatim: "\(s.pendingUploads)") } label: { Text("sync.pendingUploads") }
                    if s.corruptUploads > 0 {
                        LabeledContent { Text(verbatim: "\(s.corruptUploads)").foregroundStyle(.red) } label: { Text("sync.corruptUploads") }
                    }
                } header: { Text("sync.status") }
            }
            Section {
                Button { sync() } label: {
                    HStack {
                        Text("sync.now")
                        Spacer()
                        if busy { ProgressView() }
                    }
                }
                .disabled(busy)
                if let upload {
                    ProgressView(value: Double(upload.bytesSent), total: Double(max(upload.total, 1))) {
                        Text(verbatim: String(localized: "sync.uploading \(Double(upload.bytesSent) / 1_048_576) \(Double(upload.total) / 1_048_576)"))
                    }
                }
                ErrorLine(message: error)
            }
            if let summary { summarySection(summary) }
            Section {
                Button("sync.logout", role: .destructive) { logout(force: false) }
            } footer: {
                Text(verbatim: String(localized: "sync.version \(model.reference.version())"))
            }
        }
        .navigationTitle(Text("sync.title"))
        .task { await watch() }
        .task {
            for await p in model.core.uploadProgress() {
                upload = p.bytesSent < p.total ? p : nil
            }
        }
        .confirmationDialog(Text("sync.forceLogout"), isPresented: $confirmForcedLogout, titleVisibility: .visible) {
            Button("sync.forceLogout.confirm", role: .destructive) { logout(force: true) }
        } message: {
            Text(verbatim: error ?? "")
        }
    }

    private func summarySection(_ s: SyncSummary) -> some View {
        Section {
            LabeledContent { Text(verbatim: "\(s.exchanged)") } label: { Text("sync.exchanged") }
            LabeledContent { Text(verbatim: "\(s.fetched)") } label: { Text("sync.fetched") }
            LabeledContent { Text(verbatim: "\(s.accepted)") } label: { Text("sync.accepted") }
            LabeledContent { Text(verbatim: "\(s.uploaded)") } label: { Text("sync.uploaded") }
            ProblemList(lines: s.forbidden + s.corrupt + s.errors)
        } header: { Text("sync.summary") }
    }

    @MainActor private func watch() async {
        do {
            for try await s in model.core.syncStatus() { status = s }
        } catch {
            self.error = model.message(for: error)
        }
    }

    @MainActor private func sync() {
        busy = true
        error = nil
        Task {
            defer { busy = false }
            do {
                summary = try await model.syncNow()
            } catch {
                self.error = model.message(for: error)
            }
        }
    }

    @MainActor private func logout(force: Bool) {
        error = nil
        Task {
            do {
                try await model.logout(force: force)
            } catch let CoreError.InvalidInput(reason) where !force {
                // Work not yet on the server: say so, and offer to log out anyway.
                self.error = reason
                confirmForcedLogout = true
            } catch {
                self.error = model.message(for: error)
            }
        }
    }
}
