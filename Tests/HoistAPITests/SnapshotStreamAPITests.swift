import AsyncHTTPClient
import Foundation
import HoistAPI
import HoistCore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

/// `GET /internal/v1/evaluation/snapshots/stream` read by a real HTTP client (AsyncHTTPClient)
/// from a live server on 127.0.0.1.
@Suite struct SnapshotStreamAPITests {
    static let path = "/internal/v1/evaluation/snapshots/stream?namespace=default"

    func open(_ port: Int, headers: [(String, String)] = []) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(Self.path)")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        return try await HTTPClient.shared.execute(request, timeout: .seconds(10))
    }

    @Test func pushesSnapshotsHeartbeatsAndEndsOnClose() async throws {
        let hub = SnapshotStreamHub(maxStreams: 2, heartbeatInterval: .milliseconds(200))
        try await TestServer.run(configure: { api, _ in api.snapshotStreams = hub }, live: true) { server in
            let port = try #require(server.client.port)
            try await server.createFlag("first")
            let initialETag = try #require(try await server.call(.get, "/internal/v1/evaluation/snapshot/namespace/default").headers[.eTag])

            let response = try await open(port, headers: [("Accept-Encoding", "gzip")])
            #expect(response.status == .ok)
            #expect(response.headers.first(name: "Content-Type") == "text/event-stream")
            #expect(response.headers.first(name: "Content-Encoding") == nil)
            let reader = EventReader(response)
            #expect(try await reader.wait { $0.events.count == 1 })
            let first = try #require(reader.events.first)
            #expect(first.id == initialETag && first.event == "snapshot")
            let current = try await server.call(.get, "/internal/v1/evaluation/snapshot/namespace/default")
            #expect(first.data == current.body)

            // A write pushes the new revision.
            try await server.createFlag("second")
            #expect(try await reader.wait { $0.events.count == 2 })
            let second = reader.events[1]
            let newETag = try await server.call(.get, "/internal/v1/evaluation/snapshot/namespace/default").headers[.eTag]
            #expect(second.id == newETag && second.id != initialETag)
            #expect(second.data.contains(#""key":"second""#))
            // Writes elsewhere push nothing; the stream stays alive with heartbeats.
            try await server.createNamespace("elsewhere")
            #expect(try await reader.wait { $0.comments >= 2 })
            #expect(reader.events.count == 2)

            // Reconnecting with the revision already held skips the initial event.
            let resumed = EventReader(try await open(port, headers: [("Last-Event-ID", newETag ?? "")]))
            #expect(try await resumed.wait { $0.comments >= 1 })
            #expect(resumed.events.isEmpty)

            // The limit is 2 open streams.
            let refused = try await open(port)
            #expect(refused.status == .serviceUnavailable)
            let body = try await refused.body.collect(upTo: 4096)
            #expect(String(buffer: body) == #"{"code":14,"message":"too many snapshot streams (limit 2); retry later","details":[]}"#)

            // Shutdown ends every stream.
            hub.close()
            #expect(try await reader.wait { $0.ended })
            #expect(try await resumed.wait { $0.ended })
            #expect(hub.openCount == 0)
            #expect(try await open(port).status == .serviceUnavailable)
        }
    }

    @Test func unknownNamespaceThenCreated() async throws {
        let hub = SnapshotStreamHub(maxStreams: 4, heartbeatInterval: .seconds(5))
        try await TestServer.run(configure: { api, _ in api.snapshotStreams = hub }, live: true) { server in
            let port = try #require(server.client.port)
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/internal/v1/evaluation/snapshots/stream?namespace=later")
            request.headers.add(name: "X-Flipt-Accept-Server-Version", value: "1.47.0")
            let reader = EventReader(try await HTTPClient.shared.execute(request, timeout: .seconds(10)))
            #expect(try await reader.wait { $0.events.count == 1 })
            #expect(reader.events[0] == .init(id: nil, event: "snapshot", data: #"{"namespace":{"key":"later"},"flags":[]}"#))
            try await server.createNamespace("later")
            try await server.createFlag("hello", ns: "later")
            #expect(try await reader.wait { $0.events.last?.data.contains(#""key":"hello""#) == true })
            #expect(reader.events.last?.id?.count == 40)
            // Deleting the namespace's flag and the namespace itself pushes the empty document again.
            try await server.ok(.delete, "/api/v1/namespaces/later/flags/hello")
            try await server.ok(.delete, "/api/v1/namespaces/later")
            #expect(try await reader.wait { state in
                state.events.count >= 3 && state.events.last?.id == nil
                    && state.events.last?.data == #"{"namespace":{"key":"later"},"flags":[]}"#
            })
            hub.close()
            #expect(try await reader.wait { $0.ended })
        }
    }
}

/// Collects Server-Sent Events from a response body, in a task of its own.
final class EventReader: Sendable {
    struct Event: Sendable, Equatable {
        var id: String?
        var event: String?
        var data: String
    }

    struct Collected: Sendable {
        /// Parsed events in arrival order.
        var events: [Event] = []
        /// Comment lines (heartbeats) seen.
        var comments = 0
        /// The body has ended.
        var ended = false
        var pending = ""
    }

    final class Box: Sendable {
        let state = Mutex(Collected())
    }

    let box = Box()
    let task: Task<Void, Never>

    init(_ response: HTTPClientResponse) {
        let box = self.box
        task = Task {
            do {
                for try await chunk in response.body {
                    box.state.withLock { s in
                        s.pending += String(buffer: chunk)
                        while let range = s.pending.range(of: "\n\n") {
                            let block = String(s.pending[..<range.lowerBound])
                            s.pending.removeSubrange(..<range.upperBound)
                            if block.hasPrefix(":") {
                                s.comments += 1
                                continue
                            }
                            var event = Event(id: nil, event: nil, data: "")
                            for line in block.split(separator: "\n") {
                                if line.hasPrefix("id: ") { event.id = String(line.dropFirst(4)) }
                                if line.hasPrefix("event: ") { event.event = String(line.dropFirst(7)) }
                                if line.hasPrefix("data: ") { event.data += String(line.dropFirst(6)) }
                            }
                            s.events.append(event)
                        }
                    }
                }
            } catch {}
            box.state.withLock { $0.ended = true }
        }
    }

    /// Waits (at most `seconds`, polling every 20 ms) until `condition` holds.
    func wait(_ seconds: Double = 5, until condition: @Sendable (Collected) -> Bool) async throws -> Bool {
        for _ in 0..<Int(seconds / 0.02) {
            if box.state.withLock({ condition($0) }) { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return box.state.withLock { condition($0) }
    }

    var events: [Event] { box.state.withLock { $0.events } }
}
