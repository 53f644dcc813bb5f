import SwiftUI
import ZhifaKit

/// A new case: kind, procedure, source (随机抽查 with the 双随机 task number),
/// party, partner officers and the first record's template. The engine
/// checks the input and explains what is missing.
@MainActor
struct NewCaseView: View {
    let onCreated: (CreatedCase) -> Void

    @EnvironmentObject private var model: AppModel
    @Environment(\.dismiss) private var dismiss
    @State private var title = ""
    @State private var kind: CaseKind = .inspection
    @State private var procedure: Procedure = .general
    @State private var source: CaseSource = .randomInspection
    @State private var sourceRef = ""
    @State private var hasParty = true
    @State private var party = PartyDraft()
    @State private var partners: [PartnerEntry] = []
    @State private var partner = PartnerDraft()
    @State private var templates: [TemplateInfo] = []
    @State private var firstRecord = ""
    @State private var busy = false
    @State private var error: String?

    var body: some View {
        NavigationStack {
            Form {
                Section {
                    TextField("newCase.caseTitle", text: $title)
                    Picker("newCase.kind", selection: $kind) {
                        ForEach(CaseKind.all, id: \.self) { Text($0.title).tag($0) }
                    }
                    if kind == .penalty {
                        Picker("newCase.procedure", selection: $procedure) {
                            ForEach(Procedure.all, id: \.self) { Text($0.title).tag($0) }
                        }
                    }
                    Picker("newCase.source", selection: $source) {
                        ForEach(CaseSource.all, id: \.self) { Text($0.title).tag($0) }
                    }
                    TextField(sourceRefLabel, text: $sourceRef)
                }
                Section {
                    Toggle("newCase.hasParty", isOn: $hasParty)
                    if hasParty {
                        Picker("newCase.partyKind", selection: $party.kind) {
                            ForEach(PartyKind.all, id: \.self) { Text($0.title).tag($0) }
                        }
                        TextField("newCase.partyName", text: $party.name)
                        TextField("newCase.idNumber", text: $party.idNumber)
                            .textInputAutocapitalization(.characters)
                            .autocorrectionDisabled()
                        TextField("newCase.representative", text: $party.representative)
                        TextField("newCase.address", text: $party.address)
                        TextField("newCase.phone", text: $party.phone).keyboardType(.phonePad)
                    }
                } header: { Text("newCase.party") }
                partnerSection
                Section {
                    Picker("newCase.firstRecord", selection: $firstRecord) {
                        Text("newCase.noRecord").tag("")
                        ForEach(templates, id: \.id) { Text(verbatim: $0.name).tag($0.id) }
                    }
                }
                Section { ErrorLine(message: error) }
            }
            .navigationTitle(Text("newCase.title"))
            .navigationBarTitleDisplayMode(.inline)
            .toolbar {
                ToolbarItem(placement: .cancellationAction) {
                    Button("common.cancel") { dismiss() }
                }
                ToolbarItem(placement: .confirmationAction) {
                    if busy { ProgressView() } else { Button("newCase.create") { create() } }
                }
            }
            .task { templates = await model.reference.templates() }
        }
    }

    /// 随机抽查 cases carry the 双随机 task number as their source reference.
    private var sourceRefLabel: LocalizedStringKey {
        source == .randomInspection ? "newCase.taskNumber" : "newCase.sourceRef"
    }

    private var partnerSection: some View {
        Section {
            ForEach(partners, id: \.id) { p in
                VStack(alignment: .leading) {
                    Text(verbatim: p.name)
                    Text(verbatim: p.credentialNo).font(.caption).foregroundStyle(.secondary)
                }
            }
            .onDelete { partners.remove(atOffsets: $0) }
            TextField("newCase.partnerId", text: $partner.id)
                .textInputAutocapitalization(.never)
                .autocorrectionDisabled()
            TextField("newCase.partnerName", text: $partner.name)
            TextField("newCase.partnerCredential", text: $partner.credentialNo)
            Button("newCase.addPartner") {
                partners.append(PartnerEntry(
                    id: partner.id.trimmingCharacters(in: .whitespaces),
                    name: partner.name.trimmingCharacters(in: .whitespaces),
                    credentialNo: partner.credentialNo.trimmingCharacters(in: .whitespaces),
                    unitId: model.officer?.unitId ?? ""))
                partner = PartnerDraft()
            }
            .disabled(partner.id.isEmpty && partner.name.isEmpty)
        } header: {
            Text("newCase.partners")
        } footer: {
            Text("newCase.partners.footer")
        }
    }

    @MainActor private func create() {
        busy = true
        error = nil
        let input = NewCaseInput(
            kind: kind,
            procedure: kind == .penalty ? procedure : nil,
            title: title,
            source: source,
            sourceRef: nonEmpty(sourceRef),
            party: hasParty ? party.entry : nil,
            partners: partners,
            firstRecord: firstRecord.isEmpty ? nil : firstRecord)
        Task {
            defer { busy = false }
            do {
                let created = try await model.core.newCase(input)
                onCreated(created)
            } catch {
                self.error = model.message(for: error)
            }
        }
    }
}

/// The party being typed in.
struct PartyDraft {
    var kind: PartyKind = .legalPerson
    var name = ""
    var idNumber = ""
    var representative = ""
    var address = ""
    var phone = ""

    var entry: PartyEntry {
        PartyEntry(kind: kind, name: name.trimmingCharacters(in: .whitespaces),
                   idNumber: idNumber.trimmingCharacters(in: .whitespaces),
                   representative: nonEmpty(representative), address: nonEmpty(address), phone: nonEmpty(phone))
    }
}

/// A partner officer being typed in (from their 执法证).
struct PartnerDraft {
    var id = ""
    var name = ""
    var credentialNo = ""
}

/// Trimmed text, or nil when empty.
func nonEmpty(_ text: String) -> String? {
    let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
    return t.isEmpty ? nil : t
}
