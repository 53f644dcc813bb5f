import SwiftUI
import UIKit
import ZhifaKit

/// One record field, edited by its `fieldType`. `commit(nil)` clears it.
/// The field's message (and the engine's error on a rejected value) is
/// shown under it; whether it is required is the engine's flag.
struct FieldEditor: View {
    let field: FieldState
    let readOnly: Bool
    let rejected: String?
    /// Text typed but not yet sent (the keyboard is still up): the record
    /// screen sends it before sealing.
    let typed: (FieldValue?) -> Void
    let commit: (FieldValue?) async -> Void

    var body: some View {
        VStack(alignment: .leading, spacing: 6) {
            HStack(spacing: 2) {
                Text(verbatim: field.label).font(.subheadline).foregroundStyle(.secondary)
                if field.required { Text(verbatim: "*").foregroundStyle(.red) }
            }
            if readOnly {
                Text(verbatim: field.display.isEmpty ? "—" : field.display)
            } else {
                editor
            }
            ErrorLine(message: rejected ?? field.message)
        }
        .swipeActions {
            if !readOnly && field.isSet {
                Button("field.clear", role: .destructive) { Task { await commit(nil) } }
            }
        }
    }

    @ViewBuilder private var editor: some View {
        switch field.fieldType {
        case .text:
            DraftTextField(initial: field.stringValue ?? "", onDraft: { typed(textValue($0) { .text(value: $0) }) }) { text in await commitText(text) { .text(value: $0) } }
        case .longText:
            DraftTextField(initial: field.stringValue ?? "", multiline: true, onDraft: { typed(textValue($0) { .text(value: $0) }) }) { text in await commitText(text) { .text(value: $0) } }
        case .integer:
            DraftTextField(initial: field.intValue.map(String.init) ?? "", keyboard: .numberPad,
                           onDraft: { typed(textValue($0, FieldEditor.integer)) }) { text in
                await commitText(text, FieldEditor.integer)
            }
        case .money:
            HStack {
                DraftTextField(initial: FieldText.yuan(fen: field.intValue), keyboard: .decimalPad,
                               onDraft: { typed(textValue($0, FieldEditor.money)) }) { text in
                    await commitText(text, FieldEditor.money)
                }
                Text("field.yuan")
            }
        case .date:
            DateFieldEditor(value: FieldText.day(from: field.stringValue), components: .date) {
                await commit(.text(value: FieldText.day($0)))
            }
        case .dateTime:
            DateFieldEditor(value: FieldText.instant(from: field.stringValue), components: [.date, .hourAndMinute]) {
                await commit(.text(value: FieldText.instant($0)))
            }
        case .bool:
            Picker(field.label, selection: Binding<Bool?>(
                get: { field.boolValue },
                set: { v in Task { await commit(v.map { FieldValue.flag(value: $0) }) } })) {
                Text("field.yes").tag(Bool?.some(true))
                Text("field.no").tag(Bool?.some(false))
            }
            .pickerStyle(.segmented)
            .labelsHidden()
        case .choice:
            Picker(field.label, selection: Binding<String>(
                get: { field.stringValue ?? "" },
                set: { v in Task { await commit(v.isEmpty ? nil : .text(value: v)) } })) {
                Text("field.unset").tag("")
                ForEach(field.options, id: \.self) { Text(verbatim: $0).tag($0) }
            }
            .labelsHidden()
        case .multiChoice:
            MultiChoiceEditor(options: field.options, selected: field.listValue) { await commit(.choices(values: $0)) }
        case .list:
            ListEditor(items: field.listValue) { await commit($0.isEmpty ? nil : .choices(values: $0)) }
        case .qaList:
            QaListEditor(pairs: field.qaValue) { await commit($0.isEmpty ? nil : $0.fieldValue) }
        }
    }

    /// Empty text clears the field; otherwise `make` turns it into a value.
    private func textValue(_ text: String, _ make: (String) -> FieldValue) -> FieldValue? {
        text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : make(text)
    }

    private func commitText(_ text: String, _ make: (String) -> FieldValue) async {
        await commit(textValue(text, make))
    }

    /// Whole numbers go as integers; anything else as text, for the engine to explain.
    static func integer(_ raw: String) -> FieldValue {
        Int64(raw.trimmingCharacters(in: .whitespaces)).map { FieldValue.integer(value: $0) } ?? .text(value: raw)
    }

    /// Yuan typed, fen stored; anything else as text, for the engine to explain.
    static func money(_ raw: String) -> FieldValue {
        FieldText.fen(yuan: raw).map { FieldValue.integer(value: $0) } ?? .text(value: raw)
    }
}

/// A text field that sends its text when editing ends (return or focus lost).
struct DraftTextField: View {
    let initial: String
    var multiline = false
    var keyboard: UIKeyboardType = .default
    /// Called on every change of the text, before it is sent.
    var onDraft: (String) -> Void = { _ in }
    let onCommit: (String) async -> Void

    @State private var draft = ""
    @State private var committed = ""
    @FocusState private var focused: Bool

    var body: some View {
        TextField("", text: $draft, axis: multiline ? .vertical : .horizontal)
            .lineLimit(multiline ? 3...12 : 1...1)
            .keyboardType(keyboard)
            .focused($focused)
            .onSubmit(send)
            .onChange(of: focused) { isFocused in if !isFocused { send() } }
            .onChange(of: draft) { text in if text != committed { onDraft(text) } }
            .onAppear { draft = initial; committed = initial }
    }

    private func send() {
        guard draft != committed else { return }
        committed = draft
        let text = draft
        Task { await onCommit(text) }
    }
}

/// A date (or date and time); unset until the officer picks one.
struct DateFieldEditor: View {
    let value: Date?
    let components: DatePickerComponents
    let onPick: (Date) async -> Void

    var body: some View {
        if let value {
            DatePicker("", selection: Binding(get: { value }, set: { d in Task { await onPick(d) } }),
                       displayedComponents: components)
                .labelsHidden()
        } else {
            Button("field.setNow") { Task { await onPick(Date()) } }
        }
    }
}

/// Several of the options, ticked.
struct MultiChoiceEditor: View {
    let options: [String]
    let selected: [String]
    let onChange: ([String]) async -> Void

    var body: some View {
        ForEach(options, id: \.self) { option in
            Button {
                let next = selected.contains(option)
                    ? selected.filter { $0 != option }
                    : options.filter { selected.contains($0) || $0 == option }
                Task { await onChange(next) }
            } label: {
                Label { Text(verbatim: option) } icon: {
                    Image(systemName: selected.contains(option) ? "checkmark.square.fill" : "square")
                }
            }
            .buttonStyle(.borderless)
        }
    }
}
