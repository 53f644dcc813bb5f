import Foundation
import XCTest
import ZhifaFFI
@testable import ZhifaKit

/// A vault in memory, as the Keychain keeps secrets on the phone.
final class MemoryVault: SecretVault, @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String: Data] = [:]

    func get(name: String) -> Data? { lock.lock(); defer { lock.unlock() }; return items[name] }
    func put(name: String, value: Data) -> Bool { lock.lock(); items[name] = value; lock.unlock(); return true }
    func delete(name: String) { lock.lock(); items[name] = nil; lock.unlock() }
    var names: Set<String> { lock.lock(); defer { lock.unlock() }; return Set(items.keys) }
}

final class VaultTests: XCTestCase {
    func testTheDeviceKeyAndTokenLiveInTheVaultNotInTheDatabase() async throws {
        let server = ProcessInfo.processInfo.environment["ZHIFA_TEST_SERVER"] ?? ""
        // Set by bindings/scripts/with-server.sh; missing is a failure, not a skip.
        guard !server.isEmpty else { return XCTFail("ZHIFA_TEST_SERVER is not set") }
        let home = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        defer { try? FileManager.default.removeItem(at: home) }
        let vault = MemoryVault()
        let core = try ZhifaCore(home: home.path, vault: vault)
        let me = try await core.login(server: server, username: "zhangwei", password: "demo1234", deviceName: "测试设备")
        _ = try await core.syncNow()
        XCTAssertEqual(vault.names, ["device_key", "login_token"])
        var db = Data()
        for name in try FileManager.default.contentsOfDirectory(atPath: home.path) where name.hasPrefix("zhifa.db") {
            db.append(try Data(contentsOf: home.appendingPathComponent(name)))
        }
        for name in ["device_key", "login_token"] {
            let secret = try XCTUnwrap(vault.get(name: name))
            XCTAssertNil(db.range(of: secret), "\(name) is not in the database")
        }
        let again = try ZhifaCore(home: home.path, vault: vault)
        let current = try await again.currentOfficer()
        XCTAssertEqual(current, me)
        try await again.logout(force: true)
        XCTAssertEqual(vault.names, ["device_key"])
    }
}
