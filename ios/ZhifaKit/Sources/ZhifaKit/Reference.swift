import Foundation
import ZhifaFFI

/// Reference data the UI needs offline: record templates, statutory period
/// counting and masking. Calls are `async` and run off the main actor.
public struct Reference: Sendable {
    public init() {}

    /// The engine's version, for the about screen.
    public func version() -> String { coreVersion() }

    /// Every record template (文书模板) with its fields and signers.
    public func templates() async -> [TemplateInfo] {
        await Task.detached { recordTemplates() }.value
    }

    /// The counting rules the deadline calculator offers.
    public func rules() async -> [DeadlineRuleInfo] {
        await Task.detached { deadlineRules() }.value
    }

    /// Due date (YYYY-MM-DD) of `n` units of `rule` from `start`.
    public func due(rule: String, start: String, n: Int64) async throws -> String {
        try await Task.detached { try deadlineAdd(rule: rule, start: start, n: n) }.value
    }

    /// The latest day `n` working days before `date`.
    public func workingDaysBefore(_ date: String, n: Int64) async throws -> String {
        try await Task.detached { try deadlineBefore(x: date, n: n) }.value
    }

    /// The rights a party can be told of, as `notifyRights` takes them.
    public func rights() -> [String] { rightsOptions() }

    /// An identity number as any screen shows it.
    public func masked(_ idNumber: String) -> String { maskIdNumber(value: idNumber) }
}
