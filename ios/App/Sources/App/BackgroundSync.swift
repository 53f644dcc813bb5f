import BackgroundTasks
import Foundation
import ZhifaKit

/// The `cn.zhifa.sync` app-refresh task: pushes and pulls cases while the
/// app is in the background. Listed in Info.plist
/// (BGTaskSchedulerPermittedIdentifiers, UIBackgroundModes fetch/processing).
enum BackgroundSync {
    static let identifier = "cn.zhifa.sync"

    /// Registers the launch handler; call once, before launch completes.
    /// Every permitted identifier needs a handler, so it is registered even
    /// when the engine did not open (`core` nil): the task then just ends.
    static func register(core: FieldApp?) {
        _ = BGTaskScheduler.shared.register(forTaskWithIdentifier: identifier, using: nil) { task in
            guard let refresh = task as? BGAppRefreshTask, let core else {
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
        let completion = Completion(task)
        let work = Task {
            do {
                _ = try await core.syncNow()
                completion.finish(success: true)
            } catch {
                completion.finish(success: false)
            }
        }
        // The engine call does not stop on cancellation: end the task at
        // once when the system's time is up, as BGTask.expirationHandler asks.
        task.expirationHandler = {
            work.cancel()
            completion.finish(success: false)
        }
    }

    /// Calls `setTaskCompleted` once, from whichever side ends first.
    private final class Completion: @unchecked Sendable {
        private let task: BGTask
        private let lock = NSLock()
        private var done = false

        init(_ task: BGTask) { self.task = task }

        func finish(success: Bool) {
            lock.lock()
            let first = !done
            done = true
            lock.unlock()
            if first { task.setTaskCompleted(success: success) }
        }
    }
}
