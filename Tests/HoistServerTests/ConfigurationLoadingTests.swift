import Foundation
import Logging
import Testing

@testable import HoistServer

@Suite("Configuration loading")
struct ConfigurationLoadingTests {
    @Test func defaultsWithoutFile() throws {
        let config = try loadYAML(nil)
        #expect(config.version == nil)
        #expect(config.log.level == .info)
        #expect(config.log.levelName == "INFO")
        #expect(config.log.encoding == .console)
        #expect(config.log.file == nil)
        #expect(config.log.keys == .init(time: "T", level: "L", message: "M"))
        #expect(config.server.host == "0.0.0.0")
        #expect(config.server.httpPort == 8080)
        #expect(config.server.grpcPort == 9000)
        #expect(config.server.scheme == .http)
        #expect(config.db.url == nil)
        #expect(config.db.sqlitePath == "/home/tester/.local/share/hoist/hoist.db")
        #expect(config.db.maxIdleConn == 2)
        #expect(config.db.maxOpenConn == 0)
        #expect(config.db.connMaxLifetime == .zero)
        #expect(config.db.preparedStatementsEnabled)
        #expect(config.storage.type == .database)
        #expect(!config.storage.readOnly)
        #expect(config.meta.checkForUpdates)
        #expect(config.meta.telemetryEnabled)
        #expect(config.meta.stateDirectory == nil)
        #expect(config.warnings.isEmpty)
    }

    @Test func yamlFileValues() throws {
        let config = try loadYAML(
            """
            version: "1.0"
            log:
              level: debug
              encoding: json
              file: /var/log/hoist.log
              keys:
                time: time
                level: level
                message: msg
            server:
              host: 127.0.0.1
              http_port: 9090
              grpc_port: 9999
              protocol: http
            db:
              url: file:/data/flipt.db
              max_idle_conn: 5
              max_open_conn: 10
              conn_max_lifetime: 1h30m
              prepared_statements_enabled: false
            storage:
              type: database
              read_only: true
            meta:
              check_for_updates: false
              telemetry_enabled: false
              state_directory: /var/lib/hoist
            """)
        #expect(config.version == "1.0")
        #expect(config.log.level == .debug)
        #expect(config.log.encoding == .json)
        #expect(config.log.file == "/var/log/hoist.log")
        #expect(config.log.keys == .init(time: "time", level: "level", message: "msg"))
        #expect(config.server.host == "127.0.0.1")
        #expect(config.server.httpPort == 9090)
        #expect(config.server.grpcPort == 9999)
        #expect(config.db.url == "file:/data/flipt.db")
        #expect(config.db.sqlitePath == "/data/flipt.db")
        #expect(config.db.maxIdleConn == 5)
        #expect(config.db.maxOpenConn == 10)
        #expect(config.db.connMaxLifetime == .seconds(5400))
        #expect(!config.db.preparedStatementsEnabled)
        #expect(config.storage.readOnly)
        #expect(!config.meta.checkForUpdates)
        #expect(!config.meta.telemetryEnabled)
        #expect(config.meta.stateDirectory == "/var/lib/hoist")
    }

    @Test func environmentOverridesFile() throws {
        let yaml = """
            server:
              http_port: 9090
              host: 127.0.0.1
            log:
              level: warn
            """
        let config = try loadYAML(
            yaml,
            env: [
                "FLIPT_SERVER_HTTP_PORT": "7070",
                "FLIPT_LOG_LEVEL": "ERROR",
                "FLIPT_DB_URL": "/tmp/x.db",
                "FLIPT_META_TELEMETRY_ENABLED": "false",
                "FLIPT_LOG_KEYS_MESSAGE": "message",
                "FLIPT_STORAGE_READ_ONLY": "1",
            ])
        #expect(config.server.httpPort == 7070)
        #expect(config.server.host == "127.0.0.1")  // file value kept where env is silent
        #expect(config.log.level == .error)
        #expect(config.log.swiftLogLevel == .error)
        #expect(config.db.sqlitePath == "/tmp/x.db")
        #expect(!config.meta.telemetryEnabled)
        #expect(config.log.keys.message == "message")
        #expect(config.storage.readOnly)
    }

    @Test func environmentNames() {
        #expect(FliptConfigReader.environmentName(for: "server.http_port") == "FLIPT_SERVER_HTTP_PORT")
        #expect(FliptConfigReader.environmentName(for: "db.url") == "FLIPT_DB_URL")
        #expect(FliptConfigReader.environmentName(for: "log.level") == "FLIPT_LOG_LEVEL")
        #expect(
            FliptConfigReader.environmentName(for: "audit.sinks.webhook.signing_secret")
                == "FLIPT_AUDIT_SINKS_WEBHOOK_SIGNING_SECRET")
    }

    @Test func emptyEnvironmentValueCountsAsUnset() throws {
        let config = try loadYAML("server:\n  http_port: 9090\n", env: ["FLIPT_SERVER_HTTP_PORT": ""])
        #expect(config.server.httpPort == 9090)
    }

    @Test func unknownKeysAndSectionsAreTolerated() throws {
        let config = try loadYAML(
            """
            cors:
              enabled: true
              allowed_origins: ["http://a", "http://b"]
            cache:
              enabled: true
              backend: redis
              ttl: 60s
            authentication:
              required: true
              methods:
                token:
                  enabled: true
            ui:
              default_theme: dark
            diagnostics:
              profiling:
                enabled: true
            audit:
              sinks:
                webhook:
                  templates:
                    - url: http://example.invalid
                      body: '{"type": "{{ .Type }}"}'
                      headers: {Content-Type: application/json}
            server:
              http_port: 8081
              something_new: 1
            """,
            env: ["FLIPT_DIAGNOSTICS_PROFILING_ENABLED": "nonsense", "FLIPT_UNKNOWN": "x"])
        #expect(config.server.httpPort == 8081)
    }

    @Test func keysAreCaseInsensitiveInTheFile() throws {
        let config = try loadYAML("Server:\n  HTTP_Port: 7000\n")
        #expect(config.server.httpPort == 7000)
    }

    @Test func nullAndEmptyFile() throws {
        #expect(try loadYAML("").server.httpPort == 8080)
        #expect(try loadYAML("server:\n  http_port:\n").server.httpPort == 8080)
        #expect(try loadYAML("server: ~\n").server.httpPort == 8080)
    }

    @Test func anchorsAliasesAndMergeKeys() throws {
        let config = try loadYAML(
            """
            x-port: &port 9091
            x-base: &base {host: 10.0.0.1, http_port: 1}
            server:
              <<: *base
              http_port: *port
            """)
        #expect(config.server.httpPort == 9091)
        #expect(config.server.host == "10.0.0.1")
    }

    @Test func versionRules() throws {
        #expect(try loadYAML("version: \"1.0\"").version == "1.0")
        let error = configError { try loadYAML("version: \"2.0\"") }
        #expect(error?.key == "version")
        #expect(error?.description.contains("invalid version") == true)
    }

    @Test func discoveryOrderAndSource() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let env = ["XDG_CONFIG_HOME": dir.path + "/xdg", "HOME": dir.path + "/home"]
        let paths = HoistConfiguration.searchPaths(environment: env)
        #expect(
            paths == [
                dir.path + "/xdg/hoist/config.yml", dir.path + "/xdg/flipt/config.yml",
                "/etc/hoist/config.yml", "/etc/flipt/config/default.yml",
            ])
        let local = paths.filter { $0.hasPrefix(dir.path) }

        // Nothing found: defaults, no source.
        var (config, source) = try HoistConfiguration.load(configPath: nil, environment: env, searchPaths: local)
        #expect(source == nil)
        #expect(config.server.httpPort == 8080)

        // Flipt's user config.
        try dir.write("xdg/flipt/config.yml", "server:\n  http_port: 1111\n")
        (config, source) = try HoistConfiguration.load(configPath: nil, environment: env, searchPaths: local)
        #expect(source == dir.path + "/xdg/flipt/config.yml")
        #expect(config.server.httpPort == 1111)

        // Hoist's own user config wins over Flipt's.
        try dir.write("xdg/hoist/config.yml", "server:\n  http_port: 2222\n")
        (config, source) = try HoistConfiguration.load(configPath: nil, environment: env, searchPaths: local)
        #expect(source == dir.path + "/xdg/hoist/config.yml")
        #expect(config.server.httpPort == 2222)

        // An explicit path wins over everything; env still overrides it.
        let explicit = try dir.write("explicit.yaml", "server:\n  http_port: 3333\n")
        (config, source) = try HoistConfiguration.load(
            configPath: explicit, environment: env.merging(["FLIPT_SERVER_HOST": "::1"]) { $1 }, searchPaths: local)
        #expect(source == explicit)
        #expect(config.server.httpPort == 3333)
        #expect(config.server.host == "::1")
    }

    @Test func userConfigDirectory() {
        #expect(HoistConfiguration.userConfigDirectory(environment: ["HOME": "/h"]) == "/h/.config")
        #expect(
            HoistConfiguration.userConfigDirectory(environment: ["HOME": "/h", "XDG_CONFIG_HOME": "/x"]) == "/x")
        // A relative XDG_CONFIG_HOME is ignored (XDG spec, Go's os.UserConfigDir).
        #expect(
            HoistConfiguration.userConfigDirectory(environment: ["HOME": "/h", "XDG_CONFIG_HOME": "rel"])
                == "/h/.config")
        #expect(HoistConfiguration.userConfigDirectory(environment: [:]) == nil)
    }

    @Test func explicitPathMustExist() {
        let error = configError {
            try HoistConfiguration.load(configPath: "/nonexistent/flipt.yml", environment: testHome, searchPaths: [])
        }
        #expect(error?.description.contains("/nonexistent/flipt.yml") == true)
    }

    @Test func unsupportedFileTypeAndURLs() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let toml = try dir.write("config.toml", "[server]\nhttp_port = 1\n")
        let error = configError {
            try HoistConfiguration.load(configPath: toml, environment: testHome, searchPaths: [])
        }
        #expect(error?.description.contains("unsupported config type") == true)
        let urlError = configError {
            try HoistConfiguration.load(configPath: "s3://bucket/config.yml", environment: testHome, searchPaths: [])
        }
        #expect(urlError?.description.contains("not supported yet") == true)
    }

    @Test func jsonFileIsAccepted() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let path = try dir.write("config.json", #"{"server": {"http_port": 4444}}"#)
        let (config, _) = try HoistConfiguration.load(configPath: path, environment: testHome, searchPaths: [])
        #expect(config.server.httpPort == 4444)
    }

    @Test func malformedYAMLFails() {
        let error = configError { try loadYAML("server: [unclosed\n") }
        #expect(error?.description.contains("invalid YAML") == true)
        let notMapping = configError { try loadYAML("- a\n- b\n") }
        #expect(notMapping?.description.contains("not a mapping") == true)
    }
}
