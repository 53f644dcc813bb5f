import Foundation
import SwiftUI
import ZhifaKit

/// The app's state shared by all screens: the engine and who is logged in.
/// Screens call the engine through `core` (the `FieldApp` protocol) only.
@MainActor
final class AppModel: ObservableObject {
    enum Phase: Equatable {
        case starting
        case loggedOut
        case loggedIn
        /// The engine could not open its store (message to show).
        case broken(String)
    }

    @Published private(set) var phase: Phase = .starting
    @Published private(set) var officer: OfficerInfo?

    /// The engine. Only nil when `phase` is `.broken`.
    let core: FieldApp!
    let reference = Reference()

    init(opened: Result<ZhifaCore, Error>) {
        switch opened {
        case .success(let core):
            self.core = core
        case .failure(let error):
            self.core = nil
            phase = .broken(errorText(error))
        }
    }

    /// Finds out whether an officer is already logged in on this device.
    func start() async {
        guard phase == .starting else { return }
        do {
            officer = try await core.currentOfficer()
            phase = officer == nil ? .loggedOut : .loggedIn
        } catch {
            phase = .broken(errorText(error))
        }
    }

    /// Logs in and registers this device under `deviceName`.
    func login(server: String, username: String, password: String, deviceName: String) async throws {
        let me = try await core.login(server: server, username: username, password: password, deviceName: deviceName)
        officer = me
        phase = .loggedIn
    }

    /// Logs out; without `force` the engine refuses while work is unsynced.
    func logout(force: Bool) async throws {
        try await core.logout(force: force)
        officer = nil
        phase = .loggedOut
    }

    /// Syncs now. A login that expired sends the user back to the login screen.
    func syncNow() async throws -> SyncSummary {
        do {
            return try await core.syncNow()
        } catch {
            noteLoginExpired(error)
            throw error
        }
    }

    /// The message to show for `error`; a `LoginRequired` also logs out the UI.
    func message(for error: Error) -> String {
        noteLoginExpired(error)
        return errorText(error)
    }

    private func noteLoginExpired(_ error: Error) {
        if let core = error as? CoreError, case .LoginRequired = core {
            officer = nil
            phase = .loggedOut
        }
    }
}
