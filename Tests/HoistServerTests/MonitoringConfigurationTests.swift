import HoistCore
import Testing

@testable import HoistServer

/// `status.*` and `decision_logs.*` (spec observability §7.4, §7.5).
@Suite struct MonitoringConfigurationTests {
    @Test func defaults() throws {
        let config = try loadYAML(nil)
        #expect(config.status.service == "")
        #expect(config.status.interval == .seconds(60))
        #expect(config.status.watchInterval == .seconds(1))
        #expect(!config.status.console && config.status.labels.isEmpty && config.status.headers.isEmpty)
        let logs = config.decisionLogs
        #expect(!logs.enabled && logs.service == "" && !logs.console && logs.mask.isEmpty && logs.dropReasons.isEmpty)
        #expect(logs.sampleRatio == 1 && logs.maxDecisionsPerSecond == 0)
        #expect(logs.bufferSizeLimitEvents == 10_000 && logs.uploadSizeLimitBytes == 32_768)
        #expect(logs.minDelay == .seconds(5) && logs.maxDelay == .seconds(10))
    }

    @Test func fileAndEnvironment() throws {
        let yaml = """
            status:
              service: https://control.example.com/
              partition_name: edge
              labels: {region: eu}
              interval: 30s
              headers: {authorization: Bearer x}
            decision_logs:
              enabled: true
              service: http://127.0.0.1:9000
              mask: [email, phone]
              drop_reasons: [DEFAULT_EVALUATION_REASON, flag_disabled]
              sample_ratio: 0.25
              buffer_size_limit_events: 500
              min_delay: 1s
              max_delay: 2s
            """
        let config = try loadYAML(
            yaml, env: ["FLIPT_STATUS_CONSOLE": "true", "FLIPT_STATUS_LABELS_TEAM": "flags", "FLIPT_DECISION_LOGS_UPLOAD_SIZE_LIMIT_BYTES": "4096"])
        #expect(config.status.service == "https://control.example.com")
        #expect(config.status.partitionName == "edge")
        #expect(config.status.labels == ["region": "eu", "team": "flags"])
        #expect(config.status.console && config.status.interval == .seconds(30))
        #expect(config.status.headers == ["authorization": "Bearer x"])
        let logs = config.decisionLogs
        #expect(logs.enabled && logs.service == "http://127.0.0.1:9000" && logs.mask == ["email", "phone"])
        #expect(logs.dropReasons == [.default, .flagDisabled])
        #expect(logs.sampleRatio == 0.25 && logs.bufferSizeLimitEvents == 500 && logs.uploadSizeLimitBytes == 4096)
        #expect(logs.minDelay == .seconds(1) && logs.maxDelay == .seconds(2))
    }

    @Test func invalidValuesNameTheKey() {
        let cases: [([String: String], String)] = [
            (["FLIPT_STATUS_SERVICE": "ftp://x"], "status.service"),
            (["FLIPT_STATUS_INTERVAL": "0s"], "status.interval"),
            (["FLIPT_STATUS_PARTITION_NAME": "a/b"], "status.partition_name"),
            (["FLIPT_DECISION_LOGS_ENABLED": "true"], "decision_logs.service"),
            (["FLIPT_DECISION_LOGS_SAMPLE_RATIO": "1.5"], "decision_logs.sample_ratio"),
            (["FLIPT_DECISION_LOGS_DROP_REASONS": "SOMETIMES"], "decision_logs.drop_reasons"),
            (["FLIPT_DECISION_LOGS_BUFFER_SIZE_LIMIT_EVENTS": "0"], "decision_logs.buffer_size_limit_events"),
            (["FLIPT_DECISION_LOGS_MIN_DELAY": "3s", "FLIPT_DECISION_LOGS_MAX_DELAY": "1s"], "decision_logs.max_delay"),
            (["FLIPT_DECISION_LOGS_MAX_DECISIONS_PER_SECOND": "-1"], "decision_logs.max_decisions_per_second"),
        ]
        for (env, key) in cases {
            let error = configError { try loadYAML(nil, env: env) }
            #expect(error?.key == key, "\(env)")
        }
    }

    @Test func instanceStateDirectoryDefaults() throws {
        let config = try loadYAML(nil)
        #expect(HoistApplication.instanceStateDirectory(configuration: config, environment: ["HOME": "/h"]) == "/h/.config/hoist")
        #expect(
            HoistApplication.instanceStateDirectory(configuration: config, environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/h"])
                == "/x/hoist")
        let custom = try loadYAML("meta: {state_directory: /var/lib/hoist}")
        #expect(HoistApplication.instanceStateDirectory(configuration: custom, environment: [:]) == "/var/lib/hoist")
    }
}
