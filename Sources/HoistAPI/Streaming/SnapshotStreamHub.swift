import HoistCore
import Synchronization

/// Keeps count of the open `/internal/v1/evaluation/snapshots/stream` connections: refuses new
/// ones beyond ``maxStreams`` and ends all of them on ``close()`` (graceful shutdown), so the HTTP
/// server's drain never waits on a stream that would otherwise last forever.
public final class SnapshotStreamHub: Sendable {
    /// `snapshot_stream.max_streams` (`FLIPT_SNAPSHOT_STREAM_MAX_STREAMS`, default 256): open
    /// streams allowed at once; one more is answered 503.
    public let maxStreams: Int
    /// `snapshot_stream.heartbeat_interval` (`FLIPT_SNAPSHOT_STREAM_HEARTBEAT_INTERVAL`, default
    /// 15s): how long a stream may stay silent before a `: heartbeat` comment is written.
    public let heartbeatInterval: Duration

    /// What wakes a stream up: a snapshot change of its namespace, or the heartbeat timer.
    enum Signal: Sendable, Equatable {
        case changed
        case heartbeat
    }

    struct State {
        var closed = false
        var nextID: UInt64 = 0
        var open: [UInt64: AsyncStream<Signal>.Continuation] = [:]
    }

    let state = Mutex(State())

    public init(maxStreams: Int = 256, heartbeatInterval: Duration = .seconds(15)) {
        self.maxStreams = maxStreams
        self.heartbeatInterval = heartbeatInterval
    }

    /// Number of open streams.
    public var openCount: Int { state.withLock { $0.open.count } }

    /// Ends every open stream (each writes nothing more and completes its response) and refuses
    /// new ones with 503. Called when graceful shutdown begins.
    public func close() {
        let open = state.withLock { state in
            state.closed = true
            let open = state.open
            state.open = [:]
            return open
        }
        for continuation in open.values { continuation.finish() }
    }

    /// Reserves a stream; throws 503 (Flipt's `unavailable`) when the limit is reached or the
    /// server is shutting down.
    func open() throws(HoistError) -> SnapshotStreamLease {
        // Bounded so a producer never blocks; the newest signal is enough because every signal
        // makes the stream compare the served revision with the one it last sent.
        let (signals, continuation) = AsyncStream<Signal>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id: UInt64 = try state.withLock { (state: inout State) throws(HoistError) -> UInt64 in
            if state.closed { throw HoistError(.unavailable, "server is shutting down") }
            guard state.open.count < maxStreams else {
                throw HoistError(.unavailable, "too many snapshot streams (limit \(maxStreams)); retry later")
            }
            let id = state.nextID
            state.nextID += 1
            state.open[id] = continuation
            return id
        }
        return SnapshotStreamLease(hub: self, id: id, signals: signals, continuation: continuation)
    }

    func release(_ id: UInt64) {
        let continuation = state.withLock { $0.open.removeValue(forKey: id) }
        continuation?.finish()
    }
}

/// One reserved stream: its wake-up signals, released when the stream ends or, should the
/// response body never be written (client gone), when the lease is dropped.
final class SnapshotStreamLease: Sendable {
    let hub: SnapshotStreamHub
    let id: UInt64
    let signals: AsyncStream<SnapshotStreamHub.Signal>
    let continuation: AsyncStream<SnapshotStreamHub.Signal>.Continuation

    init(
        hub: SnapshotStreamHub, id: UInt64, signals: AsyncStream<SnapshotStreamHub.Signal>,
        continuation: AsyncStream<SnapshotStreamHub.Signal>.Continuation
    ) {
        self.hub = hub
        self.id = id
        self.signals = signals
        self.continuation = continuation
    }

    func signal(_ signal: SnapshotStreamHub.Signal) { continuation.yield(signal) }

    /// Frees the slot (the stream ended or its client went away; found out at the next write).
    func release() { hub.release(id) }

    deinit { hub.release(id) }
}
