import SwiftUI
import ZhifaKit

/// One case by stage: where it is, what blocks the next stage (from the
/// engine), its records, media, parties, officers and history.
@MainActor
struct CaseView: View {
    let caseId: String
    @Binding var path: [Route]

    @EnvironmentObject private var model: AppModel
    @State private var detail: CaseDetail?
    @State private var templates: [TemplateInfo] = []
    @State private var choosingTemplate = false
    @State private var busy = false
    @State private var error: String?
    @State private var notice: String?

    var body: some View {
        Group {
            if let detail {
                content(detail)
            } else if let error {
                ErrorLine(message: error).padding()
            } else {
                ProgressView()
            }
        }
        .navigationTitle(Text(verbatim: detail?.title ?? ""))
        .navigationBarTitleDisplayMode(.inline)
        .task { await watch() }
        .task { templates = await model.reference.templates() }
        .confirmationDialog(Text("case.newRecord"), isPresented: $choosingTemplate, titleVisibility: .visible) {
            ForEach(templates, id: \.id) { t in
                Button(t.name) { newRecord(t.id) }
            }
        }
        .alert(Text("case.notice"), isPresented: Binding(get: { notice != nil }, set: { if !$0 { notice = nil } })) {
            Button("common.ok") { notice = nil }
        } message: {
            Text(verbatim: notice ?? "")
        }
        .toolbar {
            Menu {
                Button { verify() } label: { Label("case.verifySeals", systemImage: "checkmark.seal") }
                Button { fetchMedia() } label: { Label("case.fetchMedia", systemImage: "icloud.and.arrow.down") }
            } label: {
                Image(systemName: "ellipsis.circle")
            }
        }
    }

    @ViewBuilder private func content(_ d: CaseDetail) -> some View {
        List {
            Section {
                LabeledContent { Text(verbatim: d.stage) } label: { Text("case.stage") }
                if let next = d.nextStage {
                    LabeledContent { Text(verbatim: next) } label: { Text("case.nextStage") }
                    ProblemList(lines: d.blocking)
                    Button { advance() } label: {
                        HStack {
                            Text("case.advance \(next)")
                            Spacer()
                            if busy { ProgressView() }
                        }
                    }
                    .disabled(busy)
                }
                ErrorLine(message: error)
            } header: { Text(verbatim: "\(d.kind) · \(d.source)") }

            if !d.sealConflicts.isEmpty {
                Section { ProblemList(lines: d.sealConflicts) } header: { Text("case.sealConflicts") }
            }

            Section {
                NavigationLink(value: Route.credential(caseId: d.id)) { Label("case.showCredentials", systemImage: "person.text.rectangle") }
                NavigationLink(value: Route.rights(caseId: d.id)) { Label("case.notifyRights", systemImage: "text.book.closed") }
            } header: { Text("case.onSite") }

            Section {
                ForEach(d.records, id: \.id) { r in
                    NavigationLink(value: Route.record(caseId: d.id, recordId: r.id)) { RecordRowView(row: r) }
                }
                Button { choosingTemplate = true } label: { Label("case.newRecord", systemImage: "doc.badge.plus") }
            } header: { Text("case.records") }

            if !d.media.isEmpty {
                Section { MediaStrip(media: d.media) } header: { Text("case.media \(d.media.count)") }
            }

            Section {
                ForEach(d.parties, id: \.id) { p in
                    VStack(alignment: .leading) {
                        Text(verbatim: p.name)
                        Text(verbatim: [p.kind, p.idNumber, p.representative ?? ""].filter { !$0.isEmpty }.joined(separator: " · "))
                            .font(.caption).foregroundStyle(.secondary)
                    }
                }
                ForEach(d.officers, id: \.id) { o in
                    LabeledContent { Text(verbatim: o.credentialNo) } label: { Text(verbatim: "\(o.name) \(o.post)") }
                        .foregroundStyle(o.active ? Color.primary : Color.secondary)
                }
            } header: { Text("case.people") } footer: {
                Text(verbatim: "\(d.unit) · \(d.syncLabel)").foregroundStyle(syncColor(d.syncState))
            }

            Section {
                ForEach(Array(d.events.enumerated()), id: \.offset) { _, e in
                    // The line in words from zhifa-core: names, roles, labels, no ids.
                    Text(verbatim: e.description).font(.callout)
                }
            } header: { Text("case.events") }
        }
    }

    @MainActor private func watch() async {
        do {
            for try await d in model.core.caseDetail(caseId: caseId) { detail = d }
        } catch {
            self.error = model.message(for: error)
        }
    }

    @MainActor private func advance() {
        busy = true
        error = nil
        Task {
            defer { busy = false }
            do { _ = try await model.core.advanceStage(caseId: caseId) } catch { self.error = model.message(for: error) }
        }
    }

    @MainActor private func newRecord(_ templateId: String) {
        Task {
            do {
                let id = try await model.core.newRecord(caseId: caseId, templateId: templateId)
                path.append(.record(caseId: caseId, recordId: id))
            } catch {
                self.error = model.message(for: error)
            }
        }
    }

    @MainActor private func verify() {
        Task {
            do {
                let problems = try await model.core.verifySeals(caseId: caseId)
                notice = problems.isEmpty
                    ? String(localized: "case.sealsIntact")
                    : problems.flatMap(\.problems).joined(separator: "\n")
            } catch {
                notice = model.message(for: error)
            }
        }
    }

    @MainActor private func fetchMedia() {
        Task {
            do {
                let n = try await model.core.fetchMedia(caseId: caseId)
                notice = String(localized: "case.fetched \(n)")
            } catch {
                notice = model.message(for: error)
            }
        }
    }
}
