import Foundation
import ZhifaKit

/// Reads a field's current value (`valueJson`) into Swift values for the
/// editors. Which values are valid is the engine's business: editors send
/// what the officer entered and show the engine's message.
extension FieldState {
    private var json: Any? {
        guard let text = valueJson, let data = text.data(using: .utf8) else { return nil }
        return try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    }

    var isSet: Bool { valueJson != nil }
    var stringValue: String? { json as? String }
    var boolValue: Bool? { (json as? NSNumber).map(\.boolValue) }
    var intValue: Int64? { (json as? NSNumber).map(\.int64Value) }
    var listValue: [String] { (json as? [Any])?.compactMap { $0 as? String } ?? [] }

    /// Question–answer pairs of a `qa_list` (询问笔录).
    var qaValue: [QaPair] {
        guard let text = valueJson, let data = text.data(using: .utf8) else { return [] }
        return (try? JSONDecoder().decode([QaPair].self, from: data)) ?? []
    }
}

/// One question and its answer in a `qa_list` field. `id` is only for
/// the editor's list and is not part of the value.
struct QaPair: Codable, Identifiable {
    var id = UUID()
    var q: String
    var a: String

    private enum CodingKeys: String, CodingKey { case q, a }
}

extension Array where Element == QaPair {
    /// The field value the engine expects (`[{"q":…,"a":…}]`).
    var fieldValue: FieldValue {
        let data = (try? JSONEncoder().encode(self)) ?? Data("[]".utf8)
        return .json(json: String(decoding: data, as: UTF8.self))
    }
}

/// Text ↔ engine value conversions for the typed editors.
enum FieldText {
    /// `date` fields: `YYYY-MM-DD` in the device's calendar.
    static func day(_ date: Date) -> String {
        let f = DateFormatter()
        f.calendar = Calendar(identifier: .gregorian)
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = .current
        f.dateFormat = "yyyy-MM-dd"
        return f.string(from: date)
    }

    static func day(from text: String?) -> Date? {
        guard let text else { return nil }
        let f = DateFormatter()
        f.calendar = Calendar(identifier: .gregorian)
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = .current
        f.dateFormat = "yyyy-MM-dd"
        return f.date(from: String(text.prefix(10)))
    }

    /// `date_time` fields: RFC 3339 with the local offset, e.g. `2026-03-02T09:30:00+08:00`.
    static func instant(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.timeZone = .current
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }

    static func instant(from text: String?) -> Date? {
        guard let text else { return nil }
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        if let d = f.date(from: text) { return d }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.date(from: text)
    }

    /// A `money` field's 分 as 元 text ("1234.5" for 123450).
    static func yuan(fen: Int64?) -> String {
        guard let fen else { return "" }
        let value = Decimal(fen) / 100
        return NSDecimalNumber(decimal: value).stringValue
    }

    /// 元 text as 分, or nil when it is not a number (then the raw text is
    /// sent and the engine explains what is wrong).
    static func fen(yuan text: String) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-") }),
              let value = Decimal(string: trimmed, locale: Locale(identifier: "en_US_POSIX")) else { return nil }
        var fen = value * 100
        var rounded = Decimal()
        NSDecimalRound(&rounded, &fen, 0, .plain)
        return NSDecimalNumber(decimal: rounded).int64Value
    }
}
