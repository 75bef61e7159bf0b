import Foundation
import Logging
import Testing

@testable import HoistServer

@Suite("Configuration values")
struct ConfigurationValueTests {
    // MARK: Invalid values name their key

    @Test(arguments: [
        ("server:\n  http_port: abc\n", [String: String](), "server.http_port"),
        ("server:\n  http_port: 70000\n", [:], "server.http_port"),
        ("", ["FLIPT_SERVER_HTTP_PORT": "-1"], "server.http_port"),
        ("", ["FLIPT_SERVER_GRPC_PORT": "x"], "server.grpc_port"),
        ("server:\n  protocol: https\n", [:], "server.protocol"),
        ("server:\n  protocol: ftp\n", [:], "server.protocol"),
        ("log:\n  encoding: xml\n", [:], "log.encoding"),
        ("", ["FLIPT_LOG_ENCODING": "logfmt"], "log.encoding"),
        ("db:\n  conn_max_lifetime: 5 minutes\n", [:], "db.conn_max_lifetime"),
        ("db:\n  max_idle_conn: -3\n", [:], "db.max_idle_conn"),
        ("db:\n  prepared_statements_enabled: maybe\n", [:], "db.prepared_statements_enabled"),
        ("db:\n  url: postgres://u:p@localhost:5432/flipt\n", [:], "db.url"),
        ("", ["FLIPT_DB_URL": "mysql://localhost/flipt"], "db.url"),
        ("db:\n  url: oracle://x\n", [:], "db.url"),
        ("db:\n  protocol: postgres\n  host: localhost\n", [:], "db.protocol"),
        ("storage:\n  type: git\n", [:], "storage.type"),
        ("storage:\n  type: floppy\n", [:], "storage.type"),
        ("storage:\n  read_only: sometimes\n", [:], "storage.read_only"),
        ("meta:\n  telemetry_enabled: nope\n", [:], "meta.telemetry_enabled"),
        ("server:\n  http_port: [1, 2]\n", [:], "server.http_port"),
    ])
    func invalidValueNamesKey(yaml: String, env: [String: String], key: String) {
        let error = configError { try loadYAML(yaml, env: env) }
        #expect(error?.key == key)
        #expect(error?.description.hasPrefix(key + ": ") == true)
    }

    @Test func httpsSaysTLSIsNotSupported() {
        let error = configError { try loadYAML("server:\n  protocol: https\n") }
        #expect(error?.description.contains("not supported yet") == true)
        let pg = configError { try loadYAML("db:\n  url: postgres://localhost/flipt\n") }
        #expect(pg?.description.contains("not supported yet") == true)
    }

    @Test func invalidLogLevelWarnsAndUsesInfo() throws {
        let config = try loadYAML("log:\n  level: verbose\n")
        #expect(config.log.level == .info)
        #expect(config.log.levelName == "verbose")
        #expect(config.warnings == ["log.level: unknown level \"verbose\", using INFO"])
    }

    @Test func logLevelsAnyCase() throws {
        let expected: [(String, FliptLogLevel)] = [
            ("DEBUG", .debug), ("Info", .info), ("warn", .warn), ("ERROR", .error),
            ("dpanic", .dpanic), ("PANIC", .panic), ("Fatal", .fatal),
        ]
        for (name, level) in expected {
            let config = try loadYAML(nil, env: ["FLIPT_LOG_LEVEL": name])
            #expect(config.log.level == level)
            #expect(config.warnings.isEmpty)
        }
        #expect(FliptLogLevel.warn.swiftLogLevel == .warning)
        #expect(FliptLogLevel.fatal.swiftLogLevel == .critical)
        #expect(FliptLogLevel.debug.swiftLogLevel == .debug)
    }

    // MARK: Durations

    @Test(arguments: [
        ("15s", Duration.seconds(15)), ("2m", .seconds(120)), ("1h30m", .seconds(5400)),
        ("500ms", .milliseconds(500)), ("1.5h", .seconds(5400)), ("0", .zero), ("-2s", .seconds(-2)),
        ("1h2m3s4ms5us6ns", .nanoseconds(3_723_004_005_006)), ("1µs", .microseconds(1)),
        (".5s", .milliseconds(500)), ("1000000000", .seconds(1)),
    ])
    func durations(text: String, expected: Duration) throws {
        #expect(GoParse.duration(text) == expected)
        let config = try loadYAML(nil, env: ["FLIPT_DB_CONN_MAX_LIFETIME": text])
        #expect(config.db.connMaxLifetime == expected)
    }

    @Test(arguments: ["", "s", "1", "1x", ".s", "1..s", "h1", ". s", "1h-2m", "99999999999999h", "1 s"])
    func invalidDurations(text: String) {
        if text == "1" {
            #expect(GoParse.duration(text) == .nanoseconds(1))  // integer nanoseconds
            return
        }
        #expect(GoParse.duration(text) == nil)
    }

    @Test func yamlIntegerDurationIsNanoseconds() throws {
        #expect(try loadYAML("db:\n  conn_max_lifetime: 2000000000\n").db.connMaxLifetime == .seconds(2))
    }

    // MARK: ${NAME} substitution

    @Test func substitution() throws {
        let yaml = """
            server:
              host: ${HOIST_TEST_HOST}
              http_port: ${HOIST_TEST_PORT}
            db:
              url: ${HOIST_UNSET_VARIABLE}
            log:
              file: prefix-${HOIST_TEST_HOST}
            """
        let config = try loadYAML(yaml, env: ["HOIST_TEST_HOST": "10.1.2.3", "HOIST_TEST_PORT": "8181"])
        #expect(config.server.host == "10.1.2.3")
        #expect(config.server.httpPort == 8181)
        #expect(config.db.url == nil)  // unset → empty → default location
        #expect(config.db.sqlitePath == "/home/tester/.local/share/hoist/hoist.db")
        #expect(config.log.file == "prefix-${HOIST_TEST_HOST}")  // no partial substitution
        // Environment values are substituted too (Flipt's decode hook sees every string).
        let fromEnv = try loadYAML(nil, env: ["FLIPT_SERVER_HOST": "${HOIST_TEST_HOST}", "HOIST_TEST_HOST": "h"])
        #expect(fromEnv.server.host == "h")
        #expect(GoParse.substitute("${A}", environment: ["A": "1"]) == "1")
        #expect(GoParse.substitute("${}", environment: [:]) == "")  // empty name: unset
        #expect(GoParse.substitute("$A", environment: ["A": "1"]) == "$A")
    }

    // MARK: Lists and maps

    @Test func listsFromFileAndEnvironment() throws {
        let file = try FliptYAMLProvider(
            yaml: """
                tracing:
                  propagators: [tracecontext, "${P}"]
                audit:
                  events: "flag:created   flag:updated"
                cors:
                  allowed_origins: {a: b}
                """)
        let reader = FliptConfigReader(file: file, environment: ["P": "b3"])
        #expect(try reader.stringList("tracing.propagators", default: []) == ["tracecontext", "b3"])
        #expect(try reader.stringList("audit.events", default: ["*:*"]) == ["flag:created", "flag:updated"])
        #expect(try reader.stringList("missing.list", default: ["x"]) == ["x"])
        #expect(configError { try reader.stringList("cors.allowed_origins", default: []) }?.key == "cors.allowed_origins")

        let env = FliptConfigReader(
            file: file, environment: ["FLIPT_TRACING_PROPAGATORS": " tracecontext\tb3  jaeger\n"])
        #expect(try env.stringList("tracing.propagators", default: []) == ["tracecontext", "b3", "jaeger"])
        let blank = FliptConfigReader(file: file, environment: ["FLIPT_TRACING_PROPAGATORS": "   "])
        #expect(try blank.stringList("tracing.propagators", default: ["x"]) == [])
    }

    @Test func mapsFromFileAndEnvironment() throws {
        let file = try FliptYAMLProvider(
            yaml: """
                tracing:
                  otlp:
                    headers:
                      X-Team: core
                      Authorization: from-file
                """)
        let reader = FliptConfigReader(
            file: file,
            environment: [
                "FLIPT_TRACING_OTLP_HEADERS_AUTHORIZATION": "Bearer x",
                "FLIPT_TRACING_OTLP_HEADERS_X_API_KEY": "k",
                "FLIPT_TRACING_OTLP_ENDPOINT": "not-a-header",
            ])
        #expect(
            try reader.stringMap("tracing.otlp.headers")
                == ["x-team": "core", "authorization": "Bearer x", "x_api_key": "k"])
        #expect(try reader.scoped(to: "tracing").stringMap("otlp.headers").count == 3)
        #expect(try reader.stringMap("metrics.otlp.headers") == [:])
    }

    @Test func scopedReaderNamesFullKey() throws {
        let reader = FliptConfigReader(file: nil, environment: ["FLIPT_AUDIT_BUFFER_CAPACITY": "x"])
        let error = configError { try reader.scoped(to: "audit").int("buffer.capacity", default: 2) }
        #expect(error?.key == "audit.buffer.capacity")
        #expect(try reader.scoped(to: "tracing").double("sampling_ratio", default: 1) == 1)
        #expect(reader.isSet("audit.buffer.capacity"))
    }

    @Test func booleansFollowGo() throws {
        for (text, value) in [("true", true), ("T", true), ("1", true), ("FALSE", false), ("f", false), ("0", false)] {
            let config = try loadYAML(nil, env: ["FLIPT_META_CHECK_FOR_UPDATES": text])
            #expect(config.meta.checkForUpdates == value)
        }
        #expect(configError { try loadYAML(nil, env: ["FLIPT_META_CHECK_FOR_UPDATES": "yes"]) } != nil)
    }

    // MARK: Database location

    @Test func defaultDatabasePath() {
        typealias DB = HoistConfiguration.Database
        #expect(DB.defaultSQLitePath(environment: ["HOME": "/home/a"]) == "/home/a/.local/share/hoist/hoist.db")
        #expect(
            DB.defaultSQLitePath(environment: ["HOME": "/home/a", "XDG_DATA_HOME": "/data"]) == "/data/hoist/hoist.db")
        #expect(
            DB.defaultSQLitePath(environment: ["HOME": "/home/a", "XDG_DATA_HOME": "relative"])
                == "/home/a/.local/share/hoist/hoist.db")
        #expect(DB.defaultSQLitePath(environment: [:]) == nil)
        let error = configError { try HoistConfiguration(reader: FliptConfigReader(file: nil, environment: [:])) }
        #expect(error?.key == "db.url")
    }

    @Test(arguments: [
        ("file:/var/opt/flipt/flipt.db", "/var/opt/flipt/flipt.db"),
        ("file:///var/opt/flipt/flipt.db", "/var/opt/flipt/flipt.db"),
        ("file:flipt.db?_fk=true", "flipt.db"),
        ("sqlite3:/tmp/a.db", "/tmp/a.db"),
        ("/plain/path.db", "/plain/path.db"),
        ("relative/dir/x.db", "relative/dir/x.db"),
        ("file:/with%20space.db", "/with space.db"),
    ])
    func sqliteURLs(url: String, path: String) throws {
        #expect(try HoistConfiguration.Database.sqlitePath(fromURL: url) == path)
    }
}
