import Foundation
import HoistObservability
import Logging
import Testing

@testable import HoistServer

@Suite("Configuration: meta (telemetry) and analytics")
struct TelemetryAnalyticsConfigurationTests {
    @Test func metaDefaultsAndStateDirectory() throws {
        let meta = try loadYAML(nil).meta
        #expect(meta.telemetryEnabled)
        #expect(meta.telemetryURL == nil)
        #expect(meta.resolvedStateDirectory(environment: ["HOME": "/home/tester"]) == "/home/tester/.config/hoist")
        #expect(
            meta.resolvedStateDirectory(environment: ["HOME": "/home/tester", "XDG_CONFIG_HOME": "/xdg"]) == "/xdg/hoist")
        let configured = try loadYAML("meta:\n  state_directory: /var/lib/hoist\n  telemetry_url: http://127.0.0.1:1/t\n").meta
        #expect(configured.resolvedStateDirectory(environment: [:]) == "/var/lib/hoist")
        #expect(configured.telemetryURL == "http://127.0.0.1:1/t")
    }

    @Test(arguments: [
        ("FLIPT_META_TELEMETRY_ENABLED", "false", false), ("FLIPT_TELEMETRY_ENABLED", "false", false),
        ("FLIPT_TELEMETRY_ENABLED", "0", false), ("FLIPT_TELEMETRY_ENABLED", "true", true),
        ("FLIPT_META_TELEMETRY_URL", "http://x", true),
    ])
    func bothEnvironmentVariablesOptOut(name: String, value: String, enabled: Bool) throws {
        #expect(try loadYAML(nil, env: [name: value]).meta.telemetryEnabled == enabled)
        // FLIPT_TELEMETRY_ENABLED=true cannot override an opt-out in the file.
        #expect(try loadYAML("meta:\n  telemetry_enabled: false\n", env: [name: value]).meta.telemetryEnabled == false)
    }

    @Test func anInvalidTelemetryVariableIsNamed() {
        #expect(configError { try loadYAML(nil, env: ["FLIPT_TELEMETRY_ENABLED": "maybe"]) }?.key == "FLIPT_TELEMETRY_ENABLED")
    }

    @Test func analyticsDefaultsAndValidation() throws {
        let analytics = try loadYAML(nil).analytics
        #expect(analytics.databaseEnabled && !analytics.prometheusEnabled)
        #expect(analytics.flushPeriod == .seconds(10))
        #expect(analytics.retention == .seconds(7 * 86_400))
        #expect(analytics.storageName == "database")
        let prometheus = try loadYAML(nil, env: [
            "FLIPT_ANALYTICS_STORAGE_PROMETHEUS_ENABLED": "true", "FLIPT_ANALYTICS_STORAGE_PROMETHEUS_URL": "http://p:9090",
            "FLIPT_ANALYTICS_STORAGE_PROMETHEUS_HEADERS_AUTHORIZATION": "Bearer x", "FLIPT_ANALYTICS_RETENTION": "24h",
            "FLIPT_ANALYTICS_STORAGE_DATABASE_ENABLED": "false",
        ]).analytics
        #expect(prometheus.storageName == "prometheus")
        #expect(prometheus.prometheusHeaders == ["authorization": "Bearer x"])
        #expect(prometheus.retention == .seconds(86_400))
        #expect(!prometheus.databaseEnabled)
        let missingURL = configError { try loadYAML(nil, env: ["FLIPT_ANALYTICS_STORAGE_PROMETHEUS_ENABLED": "true"]) }
        #expect(missingURL?.key == "analytics.storage.prometheus.url")
        let clickhouse = configError { try loadYAML(nil, env: ["FLIPT_ANALYTICS_STORAGE_CLICKHOUSE_ENABLED": "true"]) }
        #expect(clickhouse?.key == "analytics.storage.clickhouse.enabled")
        let fast = configError { try loadYAML(nil, env: ["FLIPT_ANALYTICS_BUFFER_FLUSH_PERIOD": "10ms"]) }
        #expect(fast?.key == "analytics.buffer.flush_period")
    }

    // MARK: makeTelemetry

    func stateDirectory() -> String { NSTemporaryDirectory() + "hoist-telemetry-state-\(UUID().uuidString)" }

    @Test(arguments: [
        (["FLIPT_META_TELEMETRY_ENABLED": "false"], [:]), (["FLIPT_TELEMETRY_ENABLED": "false"], [:]),
        ([:], ["DO_NOT_TRACK": "1"]), ([:], ["DO_NOT_TRACK": "true"]), ([:], ["CI": "true"]), ([:], ["CI": "1"]),
        (["FLIPT_META_TELEMETRY_URL": ""], [:]),
    ] as [([String: String], [String: String])])
    func optedOutOrWithoutURLNothingIsBuiltOrWritten(config: [String: String], process: [String: String]) throws {
        let directory = stateDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var env = ["FLIPT_META_STATE_DIRECTORY": directory, "FLIPT_META_TELEMETRY_URL": "http://127.0.0.1:9/t"]
        env.merge(config) { $1 }
        let configuration = try loadYAML(nil, env: env)
        #expect(HoistApplication.makeTelemetry(
            configuration: configuration, environment: process, logger: Logger(label: "test")) == nil)
        #expect(!FileManager.default.fileExists(atPath: directory))
    }

    @Test func enabledWithURLTheReporterIsBuiltWithTheFacts() throws {
        let directory = stateDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let configuration = try loadYAML(
            "audit:\n  sinks:\n    log:\n      enabled: true\ntracing:\n  enabled: true\n  exporter: zipkin\n",
            env: ["FLIPT_META_STATE_DIRECTORY": directory, "FLIPT_META_TELEMETRY_URL": "http://127.0.0.1:9/t"])
        let reporter = try #require(HoistApplication.makeTelemetry(
            configuration: configuration, environment: [:], logger: Logger(label: "test")))
        #expect(reporter.stateFile.directory == directory)
        #expect(reporter.facts.auditSinks == ["log"])
        #expect(reporter.facts.tracingExporter == "zipkin")
        #expect(reporter.facts.analyticsStorage == "database")
        #expect(reporter.facts.database == "sqlite")
    }

    @Test func declarativeStorageReportsNoDatabase() throws {
        let configuration = try loadYAML(
            "storage:\n  type: local\n  local:\n    path: /tmp\n", env: ["FLIPT_META_TELEMETRY_URL": "http://127.0.0.1:9/t"])
        let facts = HoistApplication.telemetryFacts(configuration: configuration)
        #expect(facts.storageType == "local")
        #expect(facts.database == nil)
    }
}
