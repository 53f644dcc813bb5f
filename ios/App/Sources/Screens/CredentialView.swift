import SwiftUI
import UIKit
import ZhifaKit

/// 亮证: the officer's credential card with its QR code, and (inside a case)
/// recording that the credentials were shown, where, with the GPS position.
@MainActor
struct CredentialView: View {
    /// The case to record the showing in; nil only shows the card.
    let caseId: String?

    @EnvironmentObject private var model: AppModel
    @StateObject private var location = LocationProvider()
    @State private var card: CredentialInfo?
    @State private var place = ""
    @State private var recorded: String?
    @State private var busy = false
    @State private var error: String?

    var body: some View {
        Form {
            if let card {
                Section { cardView(card) }
            } else if error == nil {
                ProgressView()
            }
            if caseId != nil {
                Section {
                    TextField("credential.place", text: $place)
                    HStack {
                        if let point = location.geoPoint {
                            Label { Text(verbatim: point.text) } icon: { Image(systemName: "location.fill") }
                        } else if location.denied {
                            Text("credential.locationDenied").foregroundStyle(.secondary)
                        } else {
                            Text("credential.locating").foregroundStyle(.secondary)
                        }
                        Spacer()
                        if location.locating { ProgressView() }
                        Button { location.request() } label: { Image(systemName: "location") }
                            .buttonStyle(.borderless)
                            .accessibilityLabel(Text("credential.relocate"))
                    }
                    Button { record() } label: {
                        HStack {
                            Text("credential.record")
                            Spacer()
                            if busy { ProgressView() }
                        }
                    }
                    .disabled(busy)
                    if let recorded {
                        Label { Text(verbatim: recorded) } icon: { Image(systemName: "checkmark.circle.fill") }
                            .foregroundStyle(.green)
                    }
                } header: {
                    Text("credential.recordHeader")
                }
            }
            Section { ErrorLine(message: error) }
        }
        .navigationTitle(Text("credential.title"))
        .task { await load() }
        .onAppear { if caseId != nil { location.request() } }
    }

    private func cardView(_ card: CredentialInfo) -> some View {
        VStack(spacing: 12) {
            Text("credential.heading").font(.headline)
            if let image = UIImage(data: card.qrPng) {
                Image(uiImage: image)
                    .interpolation(.none)
                    .resizable()
                    .scaledToFit()
                    .frame(maxWidth: 240)
                    .accessibilityLabel(Text(verbatim: card.qrText))
            }
            VStack(alignment: .leading, spacing: 6) {
                LabeledContent { Text(verbatim: card.name) } label: { Text("credential.name") }
                LabeledContent { Text(verbatim: card.unitName) } label: { Text("credential.unit") }
                LabeledContent { Text(verbatim: card.credentialNo).monospacedDigit() } label: { Text("credential.number") }
                if !card.roles.isEmpty {
                    LabeledContent { Text(verbatim: card.roles.joined(separator: "、")) } label: { Text("credential.roles") }
                }
            }
        }
        .frame(maxWidth: .infinity)
        .padding(.vertical, 8)
    }

    @MainActor private func load() async {
        do {
            card = try await model.core.credentialCard()
        } catch {
            self.error = model.message(for: error)
        }
    }

    @MainActor private func record() {
        guard let caseId else { return }
        busy = true
        error = nil
        let gps = location.geoPoint
        Task {
            defer { busy = false }
            do {
                recorded = try await model.core.showCredentials(caseId: caseId, place: place, gps: gps)
            } catch {
                self.error = model.message(for: error)
            }
        }
    }
}
