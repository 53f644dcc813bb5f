import BackgroundTasks
import Foundation
import ZhifaKit

/// The `cn.zhifa.sync` app-refresh task: pushes and pulls cases while the
/// app is in the background; and the `cn.zhifa.sync.long` processing task
/// for long syncs (videos waiting to upload), which the system runs when the
/// phone is connected, often overnight, with minutes instead of seconds.
/// Listed in Info.plist (BGTaskSchedulerPermittedIdentifiers,
/// UIBackgroundModes fetch/processing).
///
/// A background `URLSession` cannot carry the uploads: the Rust engine sends
/// them itself (core/device/README.md), so they advance only while the app or
/// one of these tasks runs; an interrupted upload resumes from the server's
/// offset at the next run.
enum BackgroundSync {
    static let identifier = "cn.zhifa.sync"
    static let longIdentifier = "cn.zhifa.sync.long"

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
        _ = BGTaskScheduler.shared.register(forTaskWithIdentifier: longIdentifier, using: nil) { task in
            guard let processing = task as? BGProcessingTask, let core else {
                task.setTaskCompleted(success: false)
                return
            }
            handle(processing, core: core)
        }
    }

    /// Asks for a long sync while files wait to upload (the system picks a
    /// time with network; external power is not required).
    static func scheduleLong(pendingUploads: UInt32) {
        guard pendingUploads > 0 else { return }
        let request = BGProcessingTaskRequest(identifier: longIdentifier)
        request.requiresNetworkConnectivity = true
        request.requiresExternalPower = false
        do {
            try BGTaskScheduler.shared.submit(request)
        } catch {
            // Not permitted: the next foreground or refresh sync resumes the uploads.
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

    private static func handle(_ task: BGTask, core: FieldApp) {
        schedule()
        let completion = Completion(task)
        let work = Task {
            do {
                let summary = try await core.syncNow()
                // Files still waiting (cut off, or too many for this run).
                if !summary.errors.isEmpty {
                    scheduleLong(pendingUploads: 1)
                }
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
