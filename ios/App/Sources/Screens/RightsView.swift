import SwiftUI
import ZhifaKit

/// 权利告知: which rights the party was told of, how, and (optionally) the
/// record that carries the notice. The engine checks the choice.
@MainActor
struct RightsView: View {
    let caseId: String

    /// The rights the engine records, by their legal names (sent as they are).
    private static let rights = Reference().rights()
    /// Usual ways of telling; any other text may be typed.
    private static let methods = ["当场告知", "书面告知", "送达告知书"]

    @EnvironmentObject private var model: AppModel
    @State private var chosen: Set<String> = []
    @State private var method = "当场告知"
    @State private var records: [RecordRow] = []
    @State private var recordId = ""
    @State private var recorded: String?
    @State private var busy = false
    @State private var error: String?

    var body: some View {
        Form {
            Section {
                ForEach(Self.rights, id: \.self) { right in
                    Toggle(isOn: Binding(
                        get: { chosen.contains(right) },
                        set: { on in if on { chosen.insert(right) } else { chosen.remove(right) } })) {
                        Text(verbatim: right)
                    }
                }
            } header: { Text("rights.which") }
            Section {
                Picker("rights.method", selection: $method) {
                    ForEach(Self.methods, id: \.self) { Text(verbatim: $0).tag($0) }
                    if !Self.methods.contains(method) { Text(verbatim: method).tag(method) }
                }
                TextField("rights.methodOther", text: $method)
            } header: { Text("rights.method") }
            Section {
                Picker("rights.record", selection: $recordId) {
                    Text("rights.noRecord").tag("")
                    ForEach(records, id: \.id) { Text(verbatim: $0.name).tag($0.id) }
                }
            }
            Section {
                Button { notify() } label: {
                    HStack {
                        Text("rights.submit")
                        Spacer()
                        if busy { ProgressView() }
                    }
                }
                .disabled(busy)
                if let recorded {
                    Label { Text(verbatim: recorded) } icon: { Image(systemName: "checkmark.circle.fill") }
                        .foregroundStyle(.green)
                }
                ErrorLine(message: error)
            }
        }
        .navigationTitle(Text("rights.title"))
        .task { await loadRecords() }
    }

    /// The case's records, to link the notice to one of them.
    @MainActor private func loadRecords() async {
        do {
            for try await detail in model.core.caseDetail(caseId: caseId) {
                records = detail.records.filter { !$0.superseded }
                break
            }
        } catch {
            self.error = model.message(for: error)
        }
    }

    @MainActor private func notify() {
        busy = true
        error = nil
        // In the legal order, not the order they were ticked.
        let rights = Self.rights.filter { chosen.contains($0) }
        let method = self.method
        let record = recordId.isEmpty ? nil : recordId
        Task {
            defer { busy = false }
            do {
                recorded = try await model.core.notifyRights(caseId: caseId, rights: rights, method: method, recordId: record)
            } catch {
                self.error = model.message(for: error)
            }
        }
    }
}
