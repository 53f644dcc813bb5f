import SwiftUI
import ZhifaKit

/// A `list` field: short texts, added one by one, removable.
struct ListEditor: View {
    let items: [String]
    let onChange: ([String]) async -> Void

    @State private var newItem = ""

    var body: some View {
        ForEach(Array(items.enumerated()), id: \.offset) { index, item in
            HStack {
                Text(verbatim: item)
                Spacer()
                Button {
                    var next = items
                    next.remove(at: index)
                    Task { await onChange(next) }
                } label: {
                    Image(systemName: "minus.circle").foregroundStyle(.red)
                }
                .buttonStyle(.borderless)
                .accessibilityLabel(Text("field.remove"))
            }
        }
        HStack {
            TextField("field.newItem", text: $newItem)
                .onSubmit(add)
            Button(action: add) { Image(systemName: "plus.circle") }
                .buttonStyle(.borderless)
                .disabled(newItem.trimmingCharacters(in: .whitespaces).isEmpty)
                .accessibilityLabel(Text("field.add"))
        }
    }

    private func add() {
        let item = newItem.trimmingCharacters(in: .whitespaces)
        guard !item.isEmpty else { return }
        newItem = ""
        Task { await onChange(items + [item]) }
    }
}

/// A `qa_list` field (询问笔录): question and answer pairs in order.
struct QaListEditor: View {
    let pairs: [QaPair]
    let onChange: ([QaPair]) async -> Void

    @State private var draft: [QaPair] = []
    @State private var loaded = false

    var body: some View {
        VStack(alignment: .leading, spacing: 10) {
            ForEach($draft) { $pair in
                VStack(alignment: .leading, spacing: 4) {
                    HStack(alignment: .top) {
                        Text("field.question").foregroundStyle(.secondary)
                        TextField("", text: $pair.q, axis: .vertical)
                    }
                    HStack(alignment: .top) {
                        Text("field.answer").foregroundStyle(.secondary)
                        TextField("", text: $pair.a, axis: .vertical)
                    }
                    Button("field.remove", role: .destructive) {
                        let id = pair.id
                        draft.removeAll { $0.id == id }
                        save()
                    }
                    .buttonStyle(.borderless)
                    .font(.caption)
                }
                Divider()
            }
            HStack {
                Button("field.addQuestion") { draft.append(QaPair(q: "", a: "")) }
                Spacer()
                Button("field.save") { save() }
            }
            .buttonStyle(.borderless)
        }
        .onAppear {
            if !loaded { draft = pairs; loaded = true }
        }
    }

    private func save() {
        let value = draft
        Task { await onChange(value) }
    }
}
