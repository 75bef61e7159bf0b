import Foundation
import HoistAPI
import HoistCore
import HoistServer
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@Suite struct MetaAPITests {
    /// Every secret the configuration below holds; none may appear in `/meta/config`.
    static let secrets = [
        "pw-webhook", "tok-query", "sekrit-signing", "tok-tracing", "tok-metrics", "pw-prom", "tok-prom", "pw-tele",
        "pw-db", "promuser", "hookuser",
    ]

    static func configuration(directory: String) throws -> HoistConfiguration {
        let yaml = """
            db:
              url: file:\(directory)/hoist.db
              password: pw-db
            meta:
              telemetry_url: https://tele:pw-tele@127.0.0.1:9/collect
              state_directory: \(directory)/state
            audit:
              sinks:
                webhook:
                  enabled: false
                  url: http://hookuser:pw-webhook@127.0.0.1:9/hook?token=tok-query
                  signing_secret: sekrit-signing
            tracing:
              otlp:
                endpoint: http://127.0.0.1:4318
                headers:
                  authorization: Bearer tok-tracing
            metrics:
              otlp:
                headers:
                  x-api-key: tok-metrics
            analytics:
              storage:
                prometheus:
                  enabled: true
                  url: http://promuser:pw-prom@127.0.0.1:9
                  headers:
                    authorization: Bearer tok-prom
            """
        let file = try FliptYAMLProvider(yaml: yaml, providerName: "meta-test.yml")
        return try HoistConfiguration(reader: FliptConfigReader(file: file, environment: ["HOME": directory]))
    }

    /// (The webhook sink stays disabled: its secret and URL are still read, and an enabled sink
    /// would own an HTTP client this test could not shut down.)
    func withServer(_ test: @escaping @Sendable (TestServer) async throws -> Void) async throws {
        let directory = NSTemporaryDirectory() + "hoist-meta-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var logger = Logger(label: "hoist-test")
        logger.logLevel = .warning
        let parts = try await HoistApplication.makeParts(configuration: Self.configuration(directory: directory), logger: logger)
        let app = Application(responder: parts.api.responder(), logger: logger)
        try await app.test(.router) { client in
            try await test(TestServer(client: client, engine: parts.engine, databasePath: "", metrics: parts.metrics))
        }
    }

    @Test func configEchoesSettingsWithFliptsNamesButNoSecret() async throws {
        try await withServer { s in
            let reply = try await s.call(.get, "/meta/config")
            #expect(reply.status == .ok)
            for secret in Self.secrets {
                #expect(!reply.body.contains(secret), "\(secret) leaked: \(reply.body)")
            }
            for key in ["password", "signingSecret", "signing_secret", "headers", "telemetryUrl", "url\":\"file:"] {
                #expect(!reply.body.contains(key), "\(key) in \(reply.body)")
            }
            let json = reply.json
            #expect(json["server"]?["httpPort"] == .number(8080))
            #expect(json["meta"]?["telemetryEnabled"]?.bool == true)
            #expect(json["meta"]?["stateDirectory"]?.string?.hasSuffix("/state") == true)
            #expect(json["tracing"]?["samplingRatio"] == .number(1))
            #expect(json["tracing"]?["otlp"]?["endpoint"]?.string == "http://127.0.0.1:4318")
            #expect(json["audit"]?["sinks"]?["webhook"]?["url"]?.string == "http://127.0.0.1:9/hook")
            #expect(json["audit"]?["sinks"]?["webhook"]?["maxBackoffDuration"] == .number(15_000_000_000))
            #expect(json["analytics"]?["storage"]?["prometheus"]?["enabled"]?.bool == true)
            #expect(json["analytics"]?["buffer"]?["flushPeriod"] == .number(10_000_000_000))
            #expect(json["db"]?["maxIdleConn"] == .number(2))
        }
    }

    @Test func infoHasFliptsShape() async throws {
        try await withServer { s in
            let json = try await s.ok(.get, "/meta/info")
            #expect(json.keys == [
                "version", "updateAvailable", "isRelease", "os", "arch", "authentication", "storage", "analytics", "ui",
            ])
            #expect(json["version"]?.string == HoistBuild.version)
            #expect(json["updateAvailable"]?.bool == false)
            #expect(json["authentication"]?["required"]?.bool == false)
            #expect(json["storage"]?["type"]?.string == "database")
            #expect(json["analytics"]?["enabled"]?.bool == true)
            #expect(["linux", "darwin"].contains(json["os"]?.string ?? ""))
        }
    }
}
