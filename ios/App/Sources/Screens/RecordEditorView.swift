import SwiftUI
import ZhifaKit

/// A record (文书): its fields by type, what is still missing, media,
/// signatures; seal it, then sign it, or amend it once sealed. Every check
/// is the engine's: this screen shows `message`, `missingFields`,
/// `missingSignatures` and `blocking` as they come.
@MainActor
struct RecordEditorView: View {
    let caseId: String
    let recordId: String
    @Binding var path: [Route]

    @EnvironmentObject private var model: AppModel
    @State private var form: RecordForm?
    @State private var rejected: [String: String] = [:]
    /// Text typed into a field whose keyboard is still up, by field key;
    /// sealing sends it first so the seal covers what the officer sees.
    @State private var unsent: [String: FieldValue?] = [:]
    @State private var error: String?
    @State private var busy = false
    @State private var amending = false
    @State private var amendReason = ""

    var body: some View {
        Group {
            if let form { content(form) } else if let error { ErrorLine(message: error).padding() } else { ProgressView() }
        }
        .navigationTitle(Text(verbatim: form?.name ?? ""))
        .navigationBarTitleDisplayMode(.inline)
        .task { await follow() }
        .alert(Text("record.amend"), isPresented: $amending) {
            TextField("record.amendReason", text: $amendReason)
            Button("common.cancel", role: .cancel) {}
            Button("record.amend") { amend() }
        } message: {
            Text("record.amend.message")
        }
    }

    @ViewBuilder private func content(_ f: RecordForm) -> some View {
        Form {
            Section {
                if !f.article.isEmpty { Text(verbatim: f.article).font(.caption).foregroundStyle(.secondary) }
                if f.sealed {
                    Label { Text("record.sealed \(String((f.digest ?? "").prefix(16)))") } icon: { Image(systemName: "lock.fill") }
                        .foregroundStyle(.green)
                }
                ProblemList(lines: f.blocking)
            }
            Section {
                ForEach(f.fields, id: \.key) { field in
                    FieldEditor(field: field, readOnly: f.sealed, rejected: rejected[field.key],
                                typed: { unsent[field.key] = .some($0) }) { value in
                        await commit(field.key, value)
                    }
                }
            } header: { Text("record.fields") }
            if !f.missingFields.isEmpty {
                Section { Text(verbatim: f.missingFields.joined(separator: "、")).foregroundStyle(.orange) } header: { Text("record.missingFieldsHeader") }
            }
            Section {
                if f.avRequired { Text("record.avRequired").font(.callout).foregroundStyle(.orange) }
                Text("record.mediaCount \(f.media.count)")
                NavigationLink(value: Route.capture(caseId: caseId, recordId: recordId)) {
                    Label("record.capture", systemImage: "camera")
                }
            } header: { Text("record.media") }
            Section {
                ForEach(Array(f.signatures.enumerated()), id: \.offset) { _, s in
                    LabeledContent { Text(verbatim: s.at).font(.caption) } label: { Text(verbatim: "\(s.role) \(s.name)") }
                }
                ForEach(f.refusals, id: \.self) { Text(verbatim: $0).foregroundStyle(.secondary) }
                if !f.missingSignatures.isEmpty {
                    Text(verbatim: f.missingSignatures.joined(separator: "、")).foregroundStyle(.orange)
                }
                if f.sealed {
                    NavigationLink(value: Route.sign(caseId: caseId, recordId: recordId)) {
                        Label("record.sign", systemImage: "signature")
                    }
                }
            } header: { Text("record.signatures") }
            Section {
                if f.sealed {
                    Button { amendReason = ""; amending = true } label: { Label("record.amend", systemImage: "square.and.pencil") }
                } else {
                    Button { seal() } label: {
                        HStack {
                            Label("record.seal", systemImage: "lock")
                            Spacer()
                            if busy { ProgressView() }
                        }
                    }
                    .disabled(busy)
                }
                ErrorLine(message: error)
            } footer: {
                if !f.sealed { Text("record.seal.footer") }
            }
        }
    }

    /// Loads the form and reloads it whenever the case changes (own edits,
    /// media, signatures, sync).
    @MainActor private func follow() async {
        await load()
        do {
            for try await _ in model.core.caseDetail(caseId: caseId) { await load() }
        } catch {
            self.error = model.message(for: error)
        }
    }

    @MainActor private func load() async {
        do {
            form = try await model.core.recordForm(caseId: caseId, recordId: recordId)
        } catch {
            self.error = model.message(for: error)
        }
    }

    @MainActor private func commit(_ key: String, _ value: FieldValue?) async {
        unsent.removeValue(forKey: key)
        // A keyboard dismissed by the seal sends its text once more: already in.
        if form?.sealed == true { return }
        do {
            if let value {
                try await model.core.setField(caseId: caseId, recordId: recordId, key: key, value: value)
            } else {
                try await model.core.clearField(caseId: caseId, recordId: recordId, key: key)
            }
            rejected[key] = nil
        } catch {
            rejected[key] = model.message(for: error)
        }
        await load()
    }

    @MainActor private func seal() {
        busy = true
        error = nil
        Task {
            defer { busy = false }
            for (key, value) in unsent { await commit(key, value) }
            do {
                _ = try await model.core.seal(caseId: caseId, recordId: recordId)
                await load()
            } catch {
                self.error = model.message(for: error)
            }
        }
    }

    @MainActor private func amend() {
        let reason = amendReason
        Task {
            do {
                let newId = try await model.core.amend(caseId: caseId, recordId: recordId, reason: reason)
                // Replace this screen by the new revision.
                if !path.isEmpty { path.removeLast() }
                path.append(.record(caseId: caseId, recordId: newId))
            } catch {
                self.error = model.message(for: error)
            }
        }
    }
}
