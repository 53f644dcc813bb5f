import SwiftUI
import ZhifaKit

/// Today's cases: the engine's case list (kept current by its stream), with
/// each case's sync label and next deadline badge. Pull to sync.
@MainActor
struct CaseListView: View {
    enum Scope: Hashable { case all, dueToday, unsynced }

    @EnvironmentObject private var model: AppModel
    @State private var path: [Route] = []
    @State private var rows: [CaseRow] = []
    @State private var search = ""
    @State private var scope: Scope = .all
    @State private var creating = false
    @State private var error: String?

    var body: some View {
        NavigationStack(path: $path) {
            List {
                Picker("list.scope", selection: $scope) {
                    Text("list.scope.all").tag(Scope.all)
                    Text("list.scope.dueToday").tag(Scope.dueToday)
                    Text("list.scope.unsynced").tag(Scope.unsynced)
                }
                .pickerStyle(.segmented)
                .listRowSeparator(.hidden)
                if let error {
                    ErrorLine(message: error)
                }
                ForEach(rows, id: \.id) { row in
                    NavigationLink(value: Route.caseDetail(caseId: row.id)) {
                        CaseRowView(row: row)
                    }
                }
                if rows.isEmpty {
                    Text("list.empty").foregroundStyle(.secondary)
                }
            }
            .listStyle(.plain)
            .navigationTitle(Text("list.title"))
            .searchable(text: $search, prompt: Text("list.search"))
            .refreshable { await sync() }
            .task(id: filter) { await watch(filter) }
            .toolbar {
                ToolbarItem(placement: .navigationBarLeading) {
                    // Bar buttons push by appending to `path` (the stack's own
                    // state) rather than through value links hosted in the bar.
                    Button { path.append(.syncStatus) } label: { Image(systemName: "arrow.triangle.2.circlepath") }
                        .accessibilityLabel(Text("sync.title"))
                }
                ToolbarItemGroup(placement: .navigationBarTrailing) {
                    Button { path.append(.credential(caseId: nil)) } label: { Image(systemName: "person.text.rectangle") }
                        .accessibilityLabel(Text("credential.title"))
                    Button { creating = true } label: { Image(systemName: "plus") }
                        .accessibilityLabel(Text("newCase.title"))
                }
            }
            .sheet(isPresented: $creating) {
                NewCaseView { created in
                    creating = false
                    path.append(.caseDetail(caseId: created.caseId))
                    if let recordId = created.recordId {
                        path.append(.record(caseId: created.caseId, recordId: recordId))
                    }
                }
                .environmentObject(model)
            }
            .navigationDestination(for: Route.self) { route in
                destination(route)
            }
        }
    }

    /// The engine's filter for the search text and scope.
    private var filter: CaseFilter {
        let text = search.trimmingCharacters(in: .whitespaces)
        return CaseFilter(
            stage: nil, kind: nil,
            text: text.isEmpty ? nil : text,
            dueBy: scope == .dueToday ? FieldText.day(Date()) : nil,
            unsynced: scope == .unsynced)
    }

    @MainActor private func watch(_ filter: CaseFilter) async {
        do {
            for try await list in model.core.cases(filter: filter) {
                rows = list
                error = nil
            }
        } catch {
            self.error = model.message(for: error)
        }
    }

    @MainActor private func sync() async {
        do {
            let summary = try await model.syncNow()
            error = summary.errors.isEmpty ? nil : summary.errors.joined(separator: "\n")
        } catch {
            self.error = model.message(for: error)
        }
    }

    @ViewBuilder private func destination(_ route: Route) -> some View {
        switch route {
        case .caseDetail(let caseId):
            CaseView(caseId: caseId, path: $path)
        case .record(let caseId, let recordId):
            RecordEditorView(caseId: caseId, recordId: recordId, path: $path)
        case .credential(let caseId):
            CredentialView(caseId: caseId)
        case .rights(let caseId):
            RightsView(caseId: caseId)
        case .capture(let caseId, let recordId):
            CaptureView(caseId: caseId, recordId: recordId)
        case .sign(let caseId, let recordId):
            SignView(caseId: caseId, recordId: recordId)
        case .syncStatus:
            SyncStatusView()
        }
    }
}

/// One case in the list: title, party, stage, sync label and deadline badge.
struct CaseRowView: View {
    let row: CaseRow

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            HStack(alignment: .firstTextBaseline) {
                Text(verbatim: row.title).font(.headline).lineLimit(2)
                Spacer()
                Text(verbatim: row.syncLabel).font(.caption).foregroundStyle(syncColor(row.syncState))
            }
            HStack(spacing: 8) {
                Text(verbatim: row.kind)
                Text(verbatim: row.stage)
                if !row.party.isEmpty { Text(verbatim: row.party).lineLimit(1) }
            }
            .font(.subheadline)
            .foregroundStyle(.secondary)
            if let badge = row.badge {
                StateTag(text: badge.text, color: badge.color)
            }
        }
        .padding(.vertical, 2)
    }
}
