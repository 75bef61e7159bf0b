import HoistCore
import HoistEngine
import HoistObservability
import Hummingbird
import NIOCore

extension HoistAPI {
    /// `GET /metrics`: Prometheus text 0.0.4, or OpenMetrics 1.0.0 when the scraper's `Accept`
    /// offers `application/openmetrics-text`. Always served, whatever `metrics.enabled` says;
    /// no authentication (as Flipt).
    func addMetricsRoutes(to table: inout RouteTable) {
        table.add(.get, "/metrics") { input in
            let format = MetricsExpositionFormat.negotiate(accept: input.request.headers[.accept])
            let bytes = metrics.exposition(format: format, snapshots: snapshotStatuses())
            return Response(
                status: .ok, headers: [.contentType: format.contentType],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }

    /// The served snapshots, as the snapshot health metrics see them.
    func snapshotStatuses() -> [SnapshotStatus] {
        engine.allSnapshots.values.map { snapshot in
            SnapshotStatus(
                namespace: snapshot.namespaceKey, revision: snapshot.etag,
                builtAtSeconds: Double(snapshot.builtAt.microseconds) / 1e6, flagCount: snapshot.flagCount)
        }
    }
}

extension SnapshotEngineObserver {
    /// Records rebuilds into `metrics`: Flipt's cache miss/error counters (when enabled) and
    /// `hoist_snapshot_rebuild_duration_seconds`.
    public static func recording(into metrics: HoistMetrics) -> SnapshotEngineObserver {
        SnapshotEngineObserver(
            rebuildStarted: { _ in metrics.flipt?.recordCacheMiss() },
            rebuilt: { namespace, seconds in metrics.snapshots.recordRebuild(namespace: namespace, seconds: seconds) },
            rebuildFailed: { _ in metrics.flipt?.recordCacheError() })
    }
}
