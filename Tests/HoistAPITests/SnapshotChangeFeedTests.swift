import HoistEngine
import HTTPTypes
import Synchronization
import Testing

/// `SnapshotEngine.changes`: who hears of which rebuild.
@Suite struct SnapshotChangeFeedTests {
    @Test func listenersHearTheirNamespaceOnly() async throws {
        try await TestServer.run { server in
            let heard = Mutex<[(String, String?)]>([])
            let feed = server.engine.changes
            #expect(feed.count == 0)
            let token = feed.addListener(namespaceKey: "team") { key, snapshot in
                heard.withLock { $0.append((key, snapshot?.etag)) }
            }
            #expect(feed.count == 1)
            try await server.createFlag("elsewhere")
            #expect(heard.withLock { $0.isEmpty })

            try await server.createNamespace("team")
            try await server.createFlag("f", ns: "team")
            let served = server.engine.snapshot(for: "team")?.etag
            let events = heard.withLock { $0 }
            #expect(events.count == 2 && events.allSatisfy { $0.0 == "team" && $0.1 != nil })
            #expect(events.last?.1 == served)

            try await server.ok(.delete, "/api/v1/namespaces/team/flags/f")
            try await server.ok(.delete, "/api/v1/namespaces/team")
            #expect(heard.withLock { $0.last?.1 } == .some(nil), "deletion is announced as nil")

            feed.removeListener(token)
            feed.removeListener(token)
            #expect(feed.count == 0)
            try await server.createNamespace("team")
            #expect(heard.withLock { $0.count } == 4)
        }
    }
}
