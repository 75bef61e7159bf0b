import Foundation
import HoistCore
import HoistStorage
import HoistStorageSQLite
import Synchronization
import Testing

@Suite("Audit outbox (SQLite)")
struct AuditOutboxTests {
    static func store(allowing filter: @escaping @Sendable (String, String) -> Bool = { _, _ in true },
                      committed: @escaping @Sendable ([(String, String)]) -> Void = { _ in }) throws -> SQLiteFlagStore {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("hoist-audit-\(UUID().uuidString)/hoist.db").path
        return try SQLiteFlagStore(path: path, audit: AuditPolicy(allows: filter, committed: committed))
    }

    @Test("a write and its event commit together; the actor comes from the task local")
    func sameTransaction() async throws {
        let count = Mutex(0)
        let store = try Self.store(committed: { pairs in count.withLock { $0 += pairs.count } })
        try await AuditContext.$actor.withValue(AuditActor(authentication: "none", ip: "1.2.3.4")) {
            _ = try await store.createFlag(CreateFlagRequest(namespaceKey: "default", key: "f", name: "F"))
        }
        // A failing write records nothing.
        await #expect(throws: HoistError.self) {
            _ = try await store.createFlag(CreateFlagRequest(namespaceKey: "default", key: "f", name: "F"))
        }
        try await store.deleteFlag(namespaceKey: "default", key: "f")
        let events = try await store.auditEvents(after: 0, limit: 10)
        #expect(events.map { "\($0.type):\($0.action)" } == ["flag:created", "flag:deleted"])
        #expect(events[0].actor == AuditActor(authentication: "none", ip: "1.2.3.4"))
        #expect(events[1].actor == AuditActor(authentication: "none", ip: ""))
        #expect(events[0].payload.compactText
            == #"{"description":"","enabled":false,"key":"f","name":"F","namespace_key":"default"}"#)
        #expect(events[0].sequence < events[1].sequence)
        #expect(events[0].timestamp.count >= 20)
        #expect(count.withLock { $0 } == 2)
    }

    @Test("delete rule captures the record before deleting")
    func deleteRuleCapture() async throws {
        let store = try Self.store()
        _ = try await store.createFlag(CreateFlagRequest(namespaceKey: "default", key: "f", name: "F"))
        _ = try await store.createSegment(CreateSegmentRequest(namespaceKey: "default", key: "s", name: "S"))
        let rule = try await store.createRule(RuleRequest(namespaceKey: "default", flagKey: "f", segmentKey: "s", rank: 1))
        try await store.deleteRule(namespaceKey: "default", flagKey: "f", id: rule.id)
        let last = try await store.auditEvents(after: 0, limit: 10).last!
        #expect(last.type == "rule" && last.action == "deleted")
        #expect(last.payload["id"]?.stringValue == rule.id)
        #expect(last.payload["segment_key"]?.stringValue == "s")
    }

    @Test("filter, cursors, prune and history")
    func cursorsAndHistory() async throws {
        let store = try Self.store(allowing: { type, _ in type == "flag" })
        let initial = try await store.auditCursor(sink: "log")
        #expect(initial == 0)
        for i in 0..<5 {
            _ = try await store.createFlag(CreateFlagRequest(namespaceKey: "default", key: "f\(i)", name: "F"))
        }
        _ = try await store.createSegment(CreateSegmentRequest(namespaceKey: "default", key: "s", name: "S"))
        #expect(try await store.newestAuditSequence() == 5)
        // A sink first seen now starts at the newest event (no replay).
        #expect(try await store.auditCursor(sink: "late") == 5)
        let page = try await store.listAuditEvents(AuditQuery(page: PageRequest(limit: 2)))
        #expect(page.totalCount == 5 && page.items.map(\.sequence) == [5, 4] && !page.nextPageToken.isEmpty)
        let next = try await store.listAuditEvents(AuditQuery(page: PageRequest(limit: 2, pageToken: page.nextPageToken)))
        #expect(next.items.map(\.sequence) == [3, 2])
        // Nothing is pruned before every sink has it.
        try await store.setAuditCursor(sink: "log", sequence: 3)
        #expect(try await store.pruneAuditEvents(sinks: ["log", "late"], beforeMicros: Int64.max) == 3)
        #expect(try await store.auditEvents(after: 0, limit: 10).map(\.sequence) == [4, 5])
        #expect(try await store.newestAuditSequence() == 5)
        try await store.recordAuditFailure(AuditFailure(sequence: 4, eventId: "x", sink: "webhook", message: "410", createdAt: 1))
        #expect(try await store.auditFailures(limit: 5).map(\.message) == ["410"])
    }
}
