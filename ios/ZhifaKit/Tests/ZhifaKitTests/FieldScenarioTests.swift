import Foundation
import XCTest
import ZhifaFFI
@testable import ZhifaKit

/// The field scenario through ZhifaKit against a real zhifa-server
/// (ZHIFA_TEST_SERVER, started by bindings/scripts/with-server.sh): log in,
/// create an inspection, fill the record, attach a photo, capture a party
/// signature, seal, sync, and read the case back on a second device store.
/// ZHIFA_TEST_SERVER is not set: the test fails (it is never skipped).
struct MissingServer: Error {}

final class FieldScenarioTests: XCTestCase {
    var server: String { ProcessInfo.processInfo.environment["ZHIFA_TEST_SERVER"] ?? "" }
    var photo: String { ProcessInfo.processInfo.environment["ZHIFA_TEST_PHOTO"] ?? "" }
    var tmp: URL!

    override func setUpWithError() throws {
        // Set by bindings/scripts/with-server.sh; missing is a failure, not a skip.
        guard !server.isEmpty else { throw MissingServer() }
        tmp = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let tmp { try? FileManager.default.removeItem(at: tmp) }
    }

    func device(_ user: String) async throws -> (ZhifaCore, OfficerInfo) {
        let core = try ZhifaCore(home: tmp.appendingPathComponent(user).path)
        let me = try await core.login(server: server, username: user, password: "demo1234", deviceName: "测试设备 (\(user))")
        return (core, me)
    }

    func pad(_ seed: Float) -> SignaturePad {
        var strokes: [[PadPoint]] = []
        for s in 0..<2 {
            var stroke: [PadPoint] = []
            for i in 0..<30 {
                let x: Float = 20 + Float(i) * 6 + seed
                let y: Float = 60 + Float(s * 40 + (i % 5) * 4)
                stroke.append(PadPoint(x: x, y: y, t: UInt32(s * 900 + i * 16), pressure: 0.5))
            }
            strokes.append(stroke)
        }
        return SignaturePad(width: 480, height: 200, strokes: strokes)
    }

    let inspectionFields: [(String, FieldValue)] = [
        ("inspected_at", .text(value: "2026-03-02T09:30:00+08:00")),
        ("place", .text(value: "康保县某档案馆档案库房")),
        ("credentials_shown", .flag(value: true)),
        ("method", .text(value: "双随机抽查")),
        ("inspected_unit", .text(value: "康保县某档案馆")),
        ("basis", .text(value: "《中华人民共和国档案法》第四十二条")),
        ("items", .choices(values: ["档案安全"])),
        ("findings", .text(value: "库房温湿度记录完整。")),
        ("rectification", .text(value: "无")),
    ]

    func testTheFieldScenarioReachesASecondDevice() async throws {
        let (zhang, zhangMe) = try await device("zhangwei")
        let (li, liMe) = try await device("lina")
        let current = try await zhang.currentOfficer()
        XCTAssertEqual(current, zhangMe)

        let created = try await zhang.newCase(NewCaseInput(
            kind: .inspection, procedure: nil, title: "某档案馆档案安全随机抽查",
            source: .randomInspection, sourceRef: "双随机-2026-03",
            party: PartyEntry(kind: .legalPerson, name: "康保县某档案馆", idNumber: "12130723MB0000001J",
                              representative: "赵六", address: nil, phone: nil),
            partners: [PartnerEntry(id: liMe.id, name: liMe.name, credentialNo: liMe.credentialNo, unitId: liMe.unitId)],
            firstRecord: "inspection_record"))
        let caseId = created.caseId
        let rec = try XCTUnwrap(created.recordId)

        let card = try await zhang.credentialCard()
        XCTAssertEqual(card.credentialNo, zhangMe.credentialNo)
        let token = try XCTUnwrap(card.token)
        XCTAssertTrue(card.qrText.hasSuffix("/gs/credential?t=" + token))
        XCTAssertEqual(card.qrPng.prefix(4), Data([0x89, 0x50, 0x4E, 0x47]))
        _ = try await zhang.showCredentials(caseId: caseId, place: "档案库房", gps: GeoPoint(lat: 38.04, lon: 114.5))

        for (k, v) in inspectionFields { try await zhang.setField(caseId: caseId, recordId: rec, key: k, value: v) }
        try await zhang.setField(caseId: caseId, recordId: rec, key: "officers_present", value: .choices(values: [zhangMe.id, liMe.id]))
        try await zhang.clearField(caseId: caseId, recordId: rec, key: "findings")
        let form = try await zhang.recordForm(caseId: caseId, recordId: rec)
        let findings = try XCTUnwrap(form.fields.first { $0.key == "findings" })
        XCTAssertEqual(findings.fieldType, .longText)
        XCTAssertEqual(form.missingFields, [findings.label])
        try await zhang.setField(caseId: caseId, recordId: rec, key: "findings", value: .text(value: "库房温湿度记录完整。"))

        let media = try await zhang.attach(caseId: caseId, recordId: rec, path: photo, gps: nil)
        XCTAssertEqual(media.mime, "image/jpeg")
        XCTAssertEqual(media.upload, .pending)
        XCTAssertEqual(media.uploadLabel, "待上传")
        XCTAssertTrue(FileManager.default.fileExists(atPath: try XCTUnwrap(media.path)))
        let filled = try await zhang.recordForm(caseId: caseId, recordId: rec)
        XCTAssertEqual(filled.missingFields, [])

        let digest = try await zhang.seal(caseId: caseId, recordId: rec)
        XCTAssertEqual(digest.count, 64)
        _ = try await zhang.sign(caseId: caseId, recordId: rec, role: .officer, signerId: zhangMe.id, signerName: zhangMe.name, pad: pad(0))
        let party = try await zhang.sign(caseId: caseId, recordId: rec, role: .party, signerId: "party-1", signerName: "赵六", pad: pad(3))
        XCTAssertEqual(party.role, "当事人")
        XCTAssertEqual(party.roleCode, .party)
        XCTAssertTrue(zhangMe.roleCodes.contains(.officer) && zhangMe.roles.contains("执法人员"), "\(zhangMe)")
        let up = try await zhang.syncNow()
        XCTAssertEqual(up.errors, [])
        XCTAssertEqual(up.exchanged, 1)

        let got = try await li.syncNow()
        XCTAssertEqual(got.fetched, 1)
        _ = try await li.sign(caseId: caseId, recordId: rec, role: .officer, signerId: liMe.id, signerName: liMe.name, pad: pad(9))
        _ = try await li.syncNow()
        _ = try await zhang.syncNow()
        for core in [zhang, li] {
            let back = try await core.recordForm(caseId: caseId, recordId: rec)
            XCTAssertTrue(back.sealed)
            XCTAssertEqual(back.digest, digest)
            XCTAssertEqual(back.signatures.count, 3)
            XCTAssertEqual(back.missingSignatures, [])
            let problems = try await core.verifySeals(caseId: caseId)
            XCTAssertEqual(problems, [])
        }
        var views = li.caseDetail(caseId: caseId).makeAsyncIterator()
        let next = try await views.next()
        let view = try XCTUnwrap(next)
        XCTAssertNotEqual(view.parties[0].idNumber, "12130723MB0000001J")
        XCTAssertNotNil(view.receipt)
        let fetched = try await li.fetchMedia(caseId: caseId)
        XCTAssertGreaterThanOrEqual(fetched, 1)
        var again = li.caseDetail(caseId: caseId).makeAsyncIterator()
        let afterNext = try await again.next()
        let after = try XCTUnwrap(afterNext)
        let file = try XCTUnwrap(after.media.first { $0.sha256 == media.sha256 }?.path)
        XCTAssertEqual(FileManager.default.contents(atPath: file), FileManager.default.contents(atPath: photo))

        let rev2 = try await zhang.amend(caseId: caseId, recordId: rec, reason: "更正检查地点")
        try await zhang.setField(caseId: caseId, recordId: rev2, key: "place", value: .text(value: "档案库房二层"))
        do {
            try await zhang.setField(caseId: caseId, recordId: rec, key: "place", value: .text(value: "x"))
            XCTFail("a sealed record must stay")
        } catch CoreError.Sealed {
        }
    }

    func testAPenaltyCaseCountsDeadlinesAndItsGatesSpeakChinese() async throws {
        let (zhang, _) = try await device("zhangwei")
        let c = try await zhang.newCase(NewCaseInput(
            kind: .penalty, procedure: .general, title: "某单位未按规定移交档案", source: .complaint,
            sourceRef: "投诉-2026-015",
            party: PartyEntry(kind: .legalPerson, name: "某单位", idNumber: "12130723MB0000002M",
                              representative: "孙八", address: nil, phone: nil),
            partners: [], firstRecord: nil))
        // The badge and the stage arrive as enums: each badge state on this
        // case by the day it is looked at.
        var penalties = zhang.cases(filter: CaseFilter(stage: .initiation, kind: .penalty, text: nil,
                                                        dueBy: nil, unsynced: false)).makeAsyncIterator()
        let firstRows = try await penalties.next()
        let row = try XCTUnwrap(firstRows?.first)
        XCTAssertEqual(row.id, c.caseId)
        XCTAssertEqual(row.stageCode, .initiation)
        let badge = try XCTUnwrap(row.badge, "filing starts the decision limit")
        XCTAssertEqual(badge.state, .onTime)
        var inspections = zhang.cases(filter: CaseFilter(stage: nil, kind: .inspection, text: nil,
                                                          dueBy: nil, unsynced: false)).makeAsyncIterator()
        let noRows = try await inspections.next()
        XCTAssertEqual(noRows, [])
        let dueDay = try XCTUnwrap(DateFormatter.ymd.date(from: badge.due))
        func badgeOn(_ offset: Int) async throws -> (DeadlineState, String) {
            let day = DateFormatter.ymd.string(from: dueDay.addingTimeInterval(Double(offset) * 86_400))
            let rows = try await zhang.casesOn(filter: noFilter, day: day)
            let b = try XCTUnwrap(rows.first?.badge)
            return (b.state, b.text)
        }
        var b = try await badgeOn(-2)
        XCTAssertEqual(b.0, .dueSoon); XCTAssertEqual(b.1, "2 天后到期")
        b = try await badgeOn(0)
        XCTAssertEqual(b.0, .dueToday); XCTAssertEqual(b.1, "今日到期")
        b = try await badgeOn(3)
        XCTAssertEqual(b.0, .overdue); XCTAssertEqual(b.1, "逾期 3 天")
        do {
            _ = try await zhang.casesOn(filter: noFilter, day: "2026-13-40")
            XCTFail("not a day")
        } catch CoreError.InvalidInput {
        }
        let states = try await zhang.obligations(caseId: c.caseId).map(\.state)
        XCTAssertEqual(states.first, .onTime)
        let stage = try await zhang.advanceStage(caseId: c.caseId)
        XCTAssertEqual(stage, "调查取证")
        var details = zhang.caseDetail(caseId: c.caseId).makeAsyncIterator()
        let detail = try await details.next()
        XCTAssertEqual(detail?.stageCode, .investigation)
        do {
            _ = try await zhang.advanceStage(caseId: c.caseId)
            XCTFail("one officer cannot take the case on")
        } catch let error as CoreError {
            guard case .InvalidInput = error else { return XCTFail("wrong error \(error)") }
            XCTAssertTrue(error.reason.contains("至少需要 2 名"), error.reason)
        }
        let obligations = try await zhang.obligations(caseId: c.caseId)
        XCTAssertFalse(obligations.isEmpty)
        let calendar = try await zhang.calendarInfo()
        XCTAssertEqual(calendar.years.first, 2017)
        // 2024-09-30 + 5 working days over National Day: 10-12 is a make-up Saturday.
        let due = try await zhang.deadlineAdd(rule: "working_days", start: "2024-09-30", n: 5)
        XCTAssertEqual(due, "2024-10-12")
        let rec = try await zhang.newRecord(caseId: c.caseId, templateId: "rights_notice")
        let fields: [(String, FieldValue)] = [
            ("notice_no", .text(value: "平档罚告〔2026〕1号")),
            ("facts", .text(value: "未按规定向档案馆移交档案。")),
            ("basis", .text(value: "《中华人民共和国档案法》第四十八条")),
            ("proposed_penalty", .text(value: "警告, 罚款人民币伍仟元")),
            ("proposed_fine_fen", .integer(value: 500_000)),
            ("rights", .choices(values: ["陈述", "申辩", "听证"])),
            ("method", .text(value: "当场告知")),
            ("notified_at", .text(value: "2026-03-05T10:00:00+08:00")),
        ]
        for (k, v) in fields { try await zhang.setField(caseId: c.caseId, recordId: rec, key: k, value: v) }
        _ = try await zhang.seal(caseId: c.caseId, recordId: rec)
        _ = try await zhang.refuse(caseId: c.caseId, recordId: rec, role: .party, person: "孙八", reason: "拒绝签收", witness: "钱七")
        let rights = Reference().rights()
        XCTAssertTrue(Set(["陈述", "申辩", "听证"]).isSubset(of: Set(rights)), "\(rights)")
        _ = try await zhang.notifyRights(caseId: c.caseId, rights: ["陈述", "申辩", "听证"], method: "当场告知", recordId: rec)
        let all = try await zhang.obligations(caseId: nil)
        XCTAssertTrue(all.contains { $0.title.contains("听证") })
    }

    func testStreamsFollowTheEngine() async throws {
        let (zhang, _) = try await device("zhangwei")
        var lists = zhang.cases(filter: noFilter).makeAsyncIterator()
        let first = try await lists.next()
        XCTAssertEqual(first, [])
        let c = try await zhang.newCase(NewCaseInput(
            kind: .inspection, procedure: nil, title: "监听测试", source: .exOfficio, sourceRef: nil,
            party: nil, partners: [], firstRecord: "inspection_record"))
        let nextRows = try await lists.next()
        let rows = try XCTUnwrap(nextRows)
        XCTAssertEqual(rows.first?.id, c.caseId)
        XCTAssertEqual(rows.first?.syncState, .local)
        var statuses = zhang.syncStatus().makeAsyncIterator()
        let firstStatus = try await statuses.next()
        let before = try XCTUnwrap(firstStatus)
        XCTAssertEqual(before.pendingCases, 1)
        _ = try await zhang.syncNow()
        var latest = before
        while latest.pendingCases != 0, let next = try await statuses.next() { latest = next }
        XCTAssertEqual(latest.pendingCases, 0)
    }

    func testListUpdatesFoldInTheEnginesOrder() {
        func row(_ id: String, _ title: String = "") -> CaseRow {
            CaseRow(id: id, title: title, party: "", kind: "行政检查", stage: "程序启动", stageCode: .initiation, badge: nil,
                    syncState: .local, syncLabel: "仅在本机", updatedAt: "")
        }
        let list = [CaseRow]().applying(.reset(rows: [row("a"), row("b")])).applying(.upsert(row: row("b", "改")))
        XCTAssertEqual(list.map(\.id), ["b", "a"])
        XCTAssertEqual(list[0].title, "改")
        XCTAssertEqual(list.applying(.remove(caseId: "a")).map(\.id), ["b"])
    }

    func testErrorsArriveTyped() async throws {
        let core = try ZhifaCore(home: tmp.appendingPathComponent("fresh").path)
        let nobody = try await core.currentOfficer()
        XCTAssertNil(nobody)
        do {
            _ = try await core.login(server: server, username: "zhangwei", password: "wrong", deviceName: "测试")
            XCTFail("wrong password")
        } catch CoreError.WrongPassword {
        }
        _ = try await core.login(server: server, username: "zhangwei", password: "demo1234", deviceName: "测试")
        do {
            _ = try await core.recordForm(caseId: "00000000-0000-4000-8000-000000000000", recordId: "x")
            XCTFail("no such case")
        } catch CoreError.NotFound {
        }
        let c = try await core.newCase(NewCaseInput(
            kind: .inspection, procedure: nil, title: "错误测试", source: .exOfficio, sourceRef: nil,
            party: nil, partners: [], firstRecord: "inspection_record"))
        do {
            try await core.setField(caseId: c.caseId, recordId: try XCTUnwrap(c.recordId), key: "findings", value: .json(json: "not json"))
            XCTFail("bad JSON")
        } catch CoreError.InvalidInput {
        }
        do {
            try await core.logout(force: false)
            XCTFail("unsynced work")
        } catch let CoreError.InvalidInput(reason) {
            XCTAssertTrue(reason.contains("未同步"))
        }
        try await core.logout(force: true)
        do {
            _ = try await core.syncNow()
            XCTFail("logged out")
        } catch CoreError.LoginRequired {
        }
    }
}

extension DateFormatter {
    /// `YYYY-MM-DD` in UTC (the engine's day format).
    static let ymd: DateFormatter = {
        let f = DateFormatter()
        f.calendar = Calendar(identifier: .gregorian)
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd"
        return f
    }()
}
