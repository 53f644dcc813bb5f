import SwiftUI
import UIKit
import ZhifaKit

/// Login and device registration: server, user name, password and the name
/// this device is registered under (the phone's name by default).
@MainActor
struct LoginView: View {
    @EnvironmentObject private var model: AppModel
    @AppStorage("login.server") private var server = ""
    @AppStorage("login.username") private var username = ""
    @State private var password = ""
    @State private var deviceName = UIDevice.current.name
    @State private var busy = false
    @State private var error: String?

    var body: some View {
        NavigationStack {
            Form {
                Section {
                    TextField("login.server", text: $server, prompt: Text(verbatim: "https://"))
                        .keyboardType(.URL)
                        .textContentType(.URL)
                        .textInputAutocapitalization(.never)
                        .autocorrectionDisabled()
                } header: {
                    Text("login.server")
                }
                Section {
                    TextField("login.username", text: $username)
                        .textContentType(.username)
                        .textInputAutocapitalization(.never)
                        .autocorrectionDisabled()
                    SecureField("login.password", text: $password)
                        .textContentType(.password)
                        .onSubmit { submit() }
                } header: {
                    Text("login.account")
                }
                Section {
                    TextField("login.deviceName", text: $deviceName)
                } header: {
                    Text("login.deviceName")
                } footer: {
                    Text("login.deviceName.footer")
                }
                Section {
                    Button(action: submit) {
                        HStack {
                            Text("login.submit")
                            Spacer()
                            if busy { ProgressView() }
                        }
                    }
                    .disabled(busy)
                    ErrorLine(message: error)
                }
            }
            .navigationTitle(Text("login.title"))
        }
    }

    @MainActor private func submit() {
        guard !busy else { return }
        busy = true
        error = nil
        Task {
            defer { busy = false }
            do {
                try await model.login(
                    server: server.trimmingCharacters(in: .whitespaces),
                    username: username.trimmingCharacters(in: .whitespaces),
                    password: password,
                    deviceName: deviceName)
                password = ""
            } catch {
                self.error = errorText(error)
            }
        }
    }
}
