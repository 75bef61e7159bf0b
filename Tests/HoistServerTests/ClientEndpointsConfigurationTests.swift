import HoistAPI
import Logging
import Testing

@testable import HoistServer

@Suite("Configuration: cache (OFREP) and snapshot_stream")
struct ClientEndpointsConfigurationTests {
    @Test func defaults() throws {
        let configuration = try loadYAML(nil)
        #expect(configuration.cache == HoistConfiguration.Cache())
        #expect(!configuration.cache.enabled && configuration.cache.ttl == .seconds(60))
        #expect(configuration.snapshotStream == HoistConfiguration.SnapshotStream())
        #expect(configuration.snapshotStream.maxStreams == 256)
        #expect(configuration.snapshotStream.heartbeatInterval == .seconds(15))
    }

    @Test func fileAndEnvironment() throws {
        let yaml = """
            cache:
              enabled: true
              ttl: 1m30s
              backend: memory
            snapshot_stream:
              max_streams: 10
              heartbeat_interval: 2s
            """
        let fromFile = try loadYAML(yaml)
        #expect(fromFile.cache.enabled && fromFile.cache.ttlMilliseconds == 90_000)
        #expect(fromFile.snapshotStream == .init(maxStreams: 10, heartbeatInterval: .seconds(2)))
        let env = [
            "FLIPT_CACHE_TTL": "250ms", "FLIPT_SNAPSHOT_STREAM_MAX_STREAMS": "3",
            "FLIPT_SNAPSHOT_STREAM_HEARTBEAT_INTERVAL": "500ms",
        ]
        let overridden = try loadYAML(yaml, env: env)
        #expect(overridden.cache.ttlMilliseconds == 250)
        #expect(overridden.snapshotStream == .init(maxStreams: 3, heartbeatInterval: .milliseconds(500)))
    }

    @Test func invalidValuesNameTheKey() {
        #expect(configError { try loadYAML("cache:\n  ttl: soon\n") }?.key == "cache.ttl")
        #expect(configError { try loadYAML("cache:\n  ttl: -1s\n") }?.key == "cache.ttl")
        #expect(configError { try loadYAML("", env: ["FLIPT_SNAPSHOT_STREAM_MAX_STREAMS": "-1"]) }?.key
            == "snapshot_stream.max_streams")
        #expect(configError { try loadYAML("snapshot_stream:\n  heartbeat_interval: 10ms\n") }?.key
            == "snapshot_stream.heartbeat_interval")
    }

    @Test func appliedToTheAPI() async throws {
        let directory = try TempDir()
        defer { directory.cleanup() }
        let configuration = try loadYAML(
            "cache:\n  enabled: true\n  ttl: 2s\nsnapshot_stream:\n  max_streams: 7\n  heartbeat_interval: 1s\n",
            env: ["FLIPT_DB_URL": "file:\(directory.path)/hoist.db"])
        var logger = Logger(label: "config-test")
        logger.logLevel = .error
        let api = try await HoistApplication.makeParts(configuration: configuration, logger: logger).api
        #expect(api.ofrep.pollingEnabled && api.ofrep.minPollingIntervalMilliseconds == 2000)
        #expect(api.snapshotStreams.maxStreams == 7 && api.snapshotStreams.heartbeatInterval == .seconds(1))
    }
}
