public import HoistAPI
import ServiceLifecycle

extension HoistApplication {
    /// Applies `cache.*` (what OFREP's configuration endpoint reports) and `snapshot_stream.*`.
    static func configureClientEndpoints(_ api: inout HoistAPI, configuration: HoistConfiguration) {
        api.ofrep = OFREPSettings(
            pollingEnabled: configuration.cache.enabled,
            minPollingIntervalMilliseconds: configuration.cache.ttlMilliseconds)
        api.snapshotStreams = SnapshotStreamHub(
            maxStreams: configuration.snapshotStream.maxStreams,
            heartbeatInterval: configuration.snapshotStream.heartbeatInterval)
    }
}

/// Ends every open snapshot stream when graceful shutdown begins. Placed after the HTTP server in
/// the service group, so it hears of the shutdown first: the server's drain then finds the
/// streams' responses complete instead of waiting on them forever.
struct SnapshotStreamShutdown: Service {
    let hub: SnapshotStreamHub

    func run() async throws {
        try? await gracefulShutdown()
        hub.close()
    }
}
