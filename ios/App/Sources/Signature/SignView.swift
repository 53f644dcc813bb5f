import PencilKit
import SwiftUI
import ZhifaKit

/// Signing a sealed record: who signs (party, officers, witness, …), the
/// handwritten signature, or a refusal to sign recorded with a witness.
@MainActor
struct SignView: View {
    let caseId: String
    let recordId: String

    /// A person who can sign, from the case or typed in.
    private struct Signer: Hashable {
        let id: String
        let name: String
    }

    @EnvironmentObject private var model: AppModel
    @Environment(\.dismiss) private var dismiss
    @State private var detail: CaseDetail?
    @State private var role: SignerRole = .party
    @State private var chosen: Signer?
    @State private var typedName = ""
    @State private var drawing = PKDrawing()
    @State private var canvasSize = CGSize.zero
    @State private var clearToken = 0
    @State private var refusing = false
    @State private var refusal = RefusalDraft()
    @State private var busy = false
    @State private var error: String?

    var body: some View {
        VStack(spacing: 0) {
            form
            // Outside the Form, so that strokes never scroll the list.
            if !refusing { padPanel }
        }
        .navigationTitle(Text("sign.title"))
        .navigationBarTitleDisplayMode(.inline)
        .task { await loadCase() }
    }

    private var form: some View {
        Form {
            Section {
                Picker("sign.role", selection: $role) {
                    ForEach(SignerRole.all, id: \.self) { Text($0.title).tag($0) }
                }
                .onChange(of: role) { _ in chosen = nil }
                if !candidates.isEmpty {
                    Picker("sign.signer", selection: $chosen) {
                        Text("sign.typeName").tag(Signer?.none)
                        ForEach(candidates, id: \.self) { Text(verbatim: $0.name).tag(Signer?.some($0)) }
                    }
                }
                if chosen == nil {
                    TextField("sign.name", text: $typedName)
                }
            }
            Toggle("sign.refuse", isOn: $refusing)
            if refusing { refusalSection }
            Section {
                Button { if refusing { refuse() } else { sign() } } label: {
                    HStack {
                        Text(LocalizedStringKey(refusing ? "sign.submitRefusal" : "sign.submit"))
                        Spacer()
                        if busy { ProgressView() }
                    }
                }
                .disabled(busy)
                ErrorLine(message: error)
            }
        }
    }

    private var padPanel: some View {
        VStack(alignment: .leading, spacing: 6) {
            HStack {
                Text("sign.pad").font(.subheadline).foregroundStyle(.secondary)
                Spacer()
                Button("sign.clear", role: .destructive) {
                    clearToken += 1
                    drawing = PKDrawing()
                }
            }
            SignatureCanvas(clearToken: clearToken) { drawing, size in
                self.drawing = drawing
                canvasSize = size
            }
            .frame(height: 220)
            .overlay(RoundedRectangle(cornerRadius: 8).stroke(Color.secondary.opacity(0.4)))
            Text("sign.pad.footer").font(.caption).foregroundStyle(.secondary)
        }
        .padding()
        .background(Color(uiColor: .systemGroupedBackground))
    }

    private var refusalSection: some View {
        Section {
            TextField("sign.refusal.person", text: $refusal.person)
            TextField("sign.refusal.reason", text: $refusal.reason)
            TextField("sign.refusal.witness", text: $refusal.witness)
        } header: { Text("sign.refusal") } footer: { Text("sign.refusal.footer") }
    }

    /// The case's people who can sign in `role`.
    private var candidates: [Signer] {
        guard let detail else { return [] }
        switch role {
        case .party:
            return detail.parties.map { Signer(id: $0.id, name: $0.name) }
        case .officer, .reviewer, .leader:
            return detail.officers.filter(\.active).map { Signer(id: $0.id, name: $0.name) }
        case .witness:
            return []
        }
    }

    /// The chosen person, or the typed name with an id made from it.
    private var signer: Signer {
        if let chosen { return chosen }
        let name = typedName.trimmingCharacters(in: .whitespaces)
        return Signer(id: "\(role):\(name)", name: name)
    }

    @MainActor private func loadCase() async {
        do {
            for try await d in model.core.caseDetail(caseId: caseId) {
                detail = d
                if refusal.person.isEmpty, let party = d.parties.first { refusal.person = party.name }
                break
            }
        } catch {
            self.error = model.message(for: error)
        }
    }

    @MainActor private func sign() {
        busy = true
        error = nil
        let who = signer
        let pad = drawing.signaturePad(size: canvasSize)
        let role = self.role
        Task {
            defer { busy = false }
            do {
                _ = try await model.core.sign(caseId: caseId, recordId: recordId, role: role,
                                              signerId: who.id, signerName: who.name, pad: pad)
                dismiss()
            } catch {
                self.error = model.message(for: error)
            }
        }
    }

    @MainActor private func refuse() {
        busy = true
        error = nil
        let r = refusal
        let role = self.role
        Task {
            defer { busy = false }
            do {
                _ = try await model.core.refuse(caseId: caseId, recordId: recordId, role: role,
                                                person: r.person, reason: r.reason, witness: r.witness)
                dismiss()
            } catch {
                self.error = model.message(for: error)
            }
        }
    }
}

/// A refusal to sign being typed in.
struct RefusalDraft {
    var person = ""
    var reason = ""
    var witness = ""
}
