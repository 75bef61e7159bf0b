import Prometheus
import Synchronization

/// What the snapshot metrics need to know about one served namespace snapshot.
public struct SnapshotStatus: Sendable, Equatable {
    public var namespace: String
    /// The snapshot's ETag (what the client snapshot endpoint sends).
    public var revision: String
    /// Unix time the snapshot was built, in seconds.
    public var builtAtSeconds: Double
    public var flagCount: Int

    public init(namespace: String, revision: String, builtAtSeconds: Double, flagCount: Int) {
        self.namespace = namespace
        self.revision = revision
        self.builtAtSeconds = builtAtSeconds
        self.flagCount = flagCount
    }
}

/// Snapshot health, always recorded:
/// * `hoist_snapshot_revision_info{namespace,revision}` = 1,
/// * `hoist_snapshot_last_rebuild_timestamp_seconds{namespace}`,
/// * `hoist_snapshot_flags{namespace}` — these three set at scrape time from the served snapshots;
/// * `hoist_snapshot_rebuild_duration_seconds{namespace}` — a histogram observed at each rebuild.
public final class SnapshotMetrics: Sendable {
    public static let rebuildBuckets: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    struct Served: Sendable {
        var revision: String
        let info: Gauge
        let timestamp: Gauge
        let flags: Gauge
    }

    let registry: PrometheusCollectorRegistry
    let served = Mutex<[String: Served]>([:])
    let durations = Mutex<[String: ValueHistogram]>([:])

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    /// Records the duration of one namespace rebuild (store read + compile).
    public func recordRebuild(namespace: String, seconds: Double) {
        let histogram = durations.withLock { histograms in
            if let existing = histograms[namespace] { return existing }
            let made = registry.valueHistogram(
                "hoist_snapshot_rebuild_duration_seconds",
                help: "Time to rebuild a namespace snapshot from the store, in seconds.",
                labels: [("namespace", namespace)], buckets: Self.rebuildBuckets)
            histograms[namespace] = made
            return made
        }
        histogram.record(seconds)
    }

    /// Replaces the per-namespace gauges with `snapshots` (the snapshots now served); series of
    /// namespaces no longer served and of replaced revisions are removed.
    func update(_ snapshots: [SnapshotStatus]) {
        served.withLock { served in
            var seen = Set<String>()
            for status in snapshots {
                seen.insert(status.namespace)
                var entry = served[status.namespace] ?? makeServed(status)
                if entry.revision != status.revision {
                    registry.unregisterGauge(entry.info)
                    entry = Served(
                        revision: status.revision, info: makeInfo(status),
                        timestamp: entry.timestamp, flags: entry.flags)
                }
                entry.timestamp.set(status.builtAtSeconds)
                entry.flags.set(Double(status.flagCount))
                served[status.namespace] = entry
            }
            for (namespace, entry) in served where !seen.contains(namespace) {
                registry.unregisterGauge(entry.info)
                registry.unregisterGauge(entry.timestamp)
                registry.unregisterGauge(entry.flags)
                served[namespace] = nil
            }
        }
    }

    private func makeServed(_ status: SnapshotStatus) -> Served {
        let labels = [("namespace", status.namespace)]
        return Served(
            revision: status.revision,
            info: makeInfo(status),
            timestamp: registry.gauge("hoist_snapshot_last_rebuild_timestamp_seconds", help: "Unix time at which the namespace snapshot being served was built.", labels: labels),
            flags: registry.gauge("hoist_snapshot_flags", help: "Number of flags in the namespace snapshot being served.", labels: labels))
    }

    private func makeInfo(_ status: SnapshotStatus) -> Gauge {
        let gauge = registry.gauge("hoist_snapshot_revision_info", help: "Revision (ETag) of the namespace snapshot being served; the value is always 1.", labels: [("namespace", status.namespace), ("revision", status.revision)])
        gauge.set(to: 1.0)
        return gauge
    }
}
