import BackgroundTasks
import Foundation
import ZhifaKit

/// The `cn.zhifa.sync` app-refresh task: pushes and pulls cases while the
/// app is in the background. Listed in Info.plist
/// (BGTaskSchedulerPermittedIdentifiers, UIBackgroundModes fetch/processing).
enum BackgroundSync {
    static let identifier = "cn.zhifa.sync"

    /// Registers the launch handler; call once, before launch completes.
    static func register(core: FieldApp) {
        _ = BGTaskScheduler.shared.register(forTaskWithIdentifier: identifier, using: nil) { task in
            guard let refresh = task as? BGAppRefreshTask else {
                task.setTaskCompleted(success: false)
                return
            }
            handle(refresh, core: core)
        }
    }

    /// Asks for the next run (the system decides when).
    static func schedule() {
        let request = BGAppRefreshTaskRequest(identifier: identifier)
        request.earliestBeginDate = Date(timeIntervalSinceNow: 15 * 60)
        do {
            try BGTaskScheduler.shared.submit(request)
        } catch {
            // Not permitted (simulator, Low Power Mode): the next foreground sync catches up.
        }
    }

    private static func handle(_ task: BGAppRefreshTask, core: FieldApp) {
        schedule()
        let work = Task {
            do {
                _ = try await core.syncNow()
                task.setTaskCompleted(success: true)
            } catch {
                task.setTaskCompleted(success: false)
            }
        }
        task.expirationHandler = { work.cancel() }
    }
}
