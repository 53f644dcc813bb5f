import XCTest
import ZhifaFFI
@testable import ZhifaKit

final class ReferenceTests: XCTestCase {
    let ref = Reference()

    func testCountsWorkingDaysOverNationalDay() async throws {
        let due = try await ref.due(rule: "working_days", start: "2024-09-30", n: 5)
        XCTAssertEqual(due, "2024-10-12")
        let before = try await ref.workingDaysBefore("2024-10-12", n: 5)
        XCTAssertEqual(before, "2024-09-30")
    }

    func testBadInputArrivesAsTypedErrors() async {
        do {
            _ = try await ref.due(rule: "fortnights", start: "2024-09-30", n: 5)
            XCTFail("expected an error")
        } catch let CoreError.InvalidInput(reason) {
            XCTAssertTrue(reason.contains("未知的计算规则"))
        } catch {
            XCTFail("wrong error \(error)")
        }
        do {
            _ = try await ref.due(rule: "working_days", start: "2040-01-01", n: 5)
            XCTFail("expected an error")
        } catch CoreError.CalendarOutOfRange {
        } catch {
            XCTFail("wrong error \(error)")
        }
    }

    func testTemplatesAndRulesAreListed() async {
        let templates = await ref.templates()
        let inspection = templates.first { $0.id == "inspection_record" }
        XCTAssertEqual(inspection?.name, "现场检查笔录")
        XCTAssertEqual(inspection?.avRequired, true)
        let types = Dictionary(uniqueKeysWithValues: (inspection?.fields ?? []).map { ($0.key, $0.fieldType) })
        XCTAssertEqual(types["credentials_shown"], .bool)
        XCTAssertEqual(types["inspected_at"], .dateTime)
        let rules = await ref.rules()
        XCTAssertEqual(rules.first?.name, "working_days")
    }

    func testMaskingAndVersion() {
        XCTAssertEqual(ref.masked("130702199001011234"), "130***********1234")
        XCTAssertEqual(ref.version().filter { $0 == "." }.count, 2)
    }
}
