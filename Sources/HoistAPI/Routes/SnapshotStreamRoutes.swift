import HoistCore
import HoistEngine
import Hummingbird
import HTTPTypes
import NIOCore

extension HoistAPI {
    static let lastEventIDHeader = HTTPField.Name("Last-Event-ID")!
    static let acceptServerVersionHeader = HTTPField.Name("X-Flipt-Accept-Server-Version")!

    /// `GET /internal/v1/evaluation/snapshots/stream?namespace=<key>` (Hoist's addition; Flipt v1
    /// has no push): Server-Sent Events carrying the namespace's client snapshot document, the same
    /// JSON as `GET /internal/v1/evaluation/snapshot/namespace/{key}`.
    ///
    /// - On connect: one `snapshot` event with the current document, unless `Last-Event-ID`
    ///   already names the served revision.
    /// - Whenever the namespace's revision changes (a write, a reload by the poller, deletion):
    ///   one `snapshot` event with the new document. Each event's `id` is the revision (the
    ///   snapshot `ETag`); a namespace that does not exist is sent as `{"namespace":{"key":…},"flags":[]}`
    ///   without an `id`.
    /// - Every ``SnapshotStreamHub/heartbeatInterval`` with no change: a `: heartbeat` comment.
    /// - More than ``SnapshotStreamHub/maxStreams`` open streams, or a shutting-down server: 503.
    func addSnapshotStreamRoutes(to table: inout RouteTable) {
        table.add(.get, "/internal/v1/evaluation/snapshots/stream") { input in
            let requested = query(input).value("namespace") ?? ""
            let namespace = requested.isEmpty ? Namespace.defaultKey : requested
            let version = ClientSnapshotDocument.ServerVersion.fromHeader(
                input.request.headers[HoistAPI.acceptServerVersionHeader])
            let lastEventID = input.request.headers[HoistAPI.lastEventIDHeader]
            let lease = try snapshotStreams.open()
            let engine = self.engine
            let heartbeatInterval = snapshotStreams.heartbeatInterval
            let headers: HTTPFields = [
                .contentType: "text/event-stream", .cacheControl: "no-cache",
                HTTPField.Name("X-Accel-Buffering")!: "no",
            ]
            return Response(
                status: .ok, headers: headers,
                body: ResponseBody { writer in
                    // Listen before the first read, so no change between the two is missed.
                    let token = engine.changes.addListener(namespaceKey: namespace) { _, _ in lease.signal(.changed) }
                    defer {
                        engine.changes.removeListener(token)
                        lease.release()
                    }
                    let heartbeat = Task {
                        while !Task.isCancelled {
                            try await Task.sleep(for: heartbeatInterval)
                            lease.signal(.heartbeat)
                        }
                    }
                    defer { heartbeat.cancel() }
                    var sent = lastEventID
                    func sendIfChanged() async throws -> Bool {
                        let snapshot = engine.snapshot(for: namespace)
                        let revision = snapshot?.etag ?? ""
                        guard revision != sent else { return false }
                        sent = revision
                        try await writer.write(
                            SnapshotStreamEvent.snapshot(namespace: namespace, snapshot: snapshot, version: version))
                        return true
                    }
                    _ = try await sendIfChanged()
                    for await signal in lease.signals {
                        let sentSnapshot = try await sendIfChanged()
                        if !sentSnapshot && signal == .heartbeat {
                            try await writer.write(SnapshotStreamEvent.heartbeat)
                        }
                    }
                    try await writer.finish(nil)
                })
        }
    }
}

/// The bytes of the stream's events (`text/event-stream`, one `data:` line each: the JSON
/// documents contain no raw newlines).
enum SnapshotStreamEvent {
    static let heartbeat = ByteBuffer(string: ": heartbeat\n\n")

    static func snapshot(
        namespace: String, snapshot: NamespaceSnapshot?, version: ClientSnapshotDocument.ServerVersion
    ) -> ByteBuffer {
        var buffer = ByteBuffer()
        guard let snapshot else {
            var w = JSONWriter()
            w.raw("{\"namespace\":{\"key\":")
            w.string(namespace)
            w.raw("},\"flags\":[]}")
            buffer.writeString("event: snapshot\ndata: ")
            buffer.writeBytes(w.bytes)
            buffer.writeString("\n\n")
            return buffer
        }
        let document = version >= .defaultVariant
            ? snapshot.clientDocument
            : ClientSnapshotDocument.encode(state: snapshot.state, acceptServerVersion: version)
        if !snapshot.etag.isEmpty { buffer.writeString("id: \(snapshot.etag)\n") }
        buffer.writeString("event: snapshot\ndata: ")
        buffer.writeBytes(document)
        buffer.writeString("\n\n")
        return buffer
    }
}
