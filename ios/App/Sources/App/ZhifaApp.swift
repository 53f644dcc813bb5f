import BackgroundTasks
import SwiftUI
import ZhifaKit

/// The app: one `ZhifaCore` over `<Application Support>/zhifa`, shared by
/// every screen through `AppModel`, and a background refresh that syncs.
@main
@MainActor
struct ZhifaApp: App {
    @StateObject private var model: AppModel
    @Environment(\.scenePhase) private var scenePhase

    init() {
        let opened = Result { try ZhifaApp.openCore() }
        // Must be registered before the app finishes launching.
        BackgroundSync.register(core: try? opened.get())
        _model = StateObject(wrappedValue: AppModel(opened: opened))
    }

    var body: some Scene {
        WindowGroup {
            RootView()
                .environmentObject(model)
        }
        .onChange(of: scenePhase) { phase in
            if phase == .background {
                BackgroundSync.schedule()
                // Files waiting to upload: ask for a long processing task too.
                if let core = model.core {
                    Task {
                        for try await s in core.syncStatus() {
                            BackgroundSync.scheduleLong(pendingUploads: s.pendingUploads)
                            break
                        }
                    }
                }
            }
        }
    }

    /// Opens the engine in the app's private Application Support folder.
    private static func openCore() throws -> ZhifaCore {
        let support = try FileManager.default.url(
            for: .applicationSupportDirectory, in: .userDomainMask, appropriateFor: nil, create: true)
        let home = support.appendingPathComponent("zhifa", isDirectory: true)
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        return try ZhifaCore(home: home.path, vault: KeychainVault())
    }
}

/// Shows the login screen, the case list, or why the engine did not open.
@MainActor
struct RootView: View {
    @EnvironmentObject private var model: AppModel

    var body: some View {
        switch model.phase {
        case .starting:
            ProgressView("root.starting")
                .task { await model.start() }
        case .loggedOut:
            LoginView()
        case .loggedIn:
            CaseListView()
        case .broken(let message):
            VStack(spacing: 12) {
                Image(systemName: "exclamationmark.triangle").font(.largeTitle).foregroundStyle(.red)
                Text("root.broken").font(.headline)
                Text(verbatim: message).multilineTextAlignment(.center).foregroundStyle(.secondary)
            }
            .padding()
        }
    }
}
