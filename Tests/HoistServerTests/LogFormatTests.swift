import Foundation
import Logging
import Testing

@testable import HoistServer

@Suite("Log line formats")
struct LogFormatTests {
    /// 2024-05-01T12:34:56Z
    static let fixedTime = 1_714_566_896

    func logger(
        _ log: HoistConfiguration.Log, colors: Bool = false, buffer: LogBuffer, level: Logger.Level? = nil
    ) -> Logger {
        var handler = FliptLogHandler(
            formatter: FliptLogFormatter(encoding: log.encoding, keys: log.keys, colorLevels: colors, utc: true),
            writer: buffer,
            logLevel: level ?? log.swiftLogLevel,
            clock: { Self.fixedTime }
        )
        handler.metadata = ["server": "http"]
        return Logger(label: "test") { _ in handler }
    }

    func jsonObject(_ line: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
        return try #require(object as? [String: Any])
    }

    @Test func jsonLine() throws {
        let buffer = LogBuffer()
        let log = logger(.init(encoding: .json), buffer: buffer)
        log.info(
            "flipt starting",
            metadata: [
                "port": .stringConvertible(8080),
                "ratio": .stringConvertible(0.5),
                "tls": .stringConvertible(false),
                "nested": ["a": "1", "list": ["x", .stringConvertible(2)]],
                "quote": "say \"hi\"\n",
            ])
        let line = try #require(buffer.lines.first)
        #expect(line.hasSuffix("}\n"))
        #expect(line.hasPrefix(#"{"L":"INFO","T":"2024-05-01T12:34:56Z","M":"flipt starting","#))
        let object = try jsonObject(line)
        #expect(object["L"] as? String == "INFO")
        #expect(object["T"] as? String == "2024-05-01T12:34:56Z")
        #expect(object["M"] as? String == "flipt starting")
        #expect(object["server"] as? String == "http")
        #expect(object["port"] as? Int == 8080)
        #expect(object["ratio"] as? Double == 0.5)
        #expect(object["tls"] as? Bool == false)
        #expect(object["quote"] as? String == "say \"hi\"\n")
        let nested = try #require(object["nested"] as? [String: Any])
        #expect(nested["a"] as? String == "1")
        #expect((nested["list"] as? [Any])?.count == 2)
    }

    @Test func jsonCustomKeysAndLevels() throws {
        let buffer = LogBuffer()
        let log = logger(
            .init(level: .debug, encoding: .json, keys: .init(time: "time", level: "level", message: "msg")),
            buffer: buffer)
        log.debug("d")
        log.warning("w")
        log.error("e")
        log.critical("c")
        log.trace("not logged")
        let levels = try buffer.lines.map { try jsonObject($0)["level"] as? String }
        #expect(levels == ["DEBUG", "WARN", "ERROR", "FATAL"])
        let first = try jsonObject(buffer.lines[0])
        #expect(first["msg"] as? String == "d")
        #expect(first["time"] as? String == "2024-05-01T12:34:56Z")
        #expect(first["M"] == nil)
    }

    @Test func consoleLine() throws {
        let buffer = LogBuffer()
        let log = logger(.init(encoding: .console), buffer: buffer)
        log.info("listening", metadata: ["port": .stringConvertible(8080), "nested": ["k": "v"]])
        log.warning("bare")
        #expect(
            buffer.lines[0]
                == "2024-05-01T12:34:56Z\tINFO\tlistening\t{\"nested\": {\"k\": \"v\"}, \"port\": 8080, \"server\": \"http\"}\n"
        )
        #expect(buffer.lines[1] == "2024-05-01T12:34:56Z\tWARN\tbare\t{\"server\": \"http\"}\n")
    }

    @Test func consoleColorsAndNoFields() throws {
        let buffer = LogBuffer()
        var handler = FliptLogHandler(
            formatter: FliptLogFormatter(encoding: .console, colorLevels: true, utc: true),
            writer: buffer, clock: { Self.fixedTime })
        handler.logLevel = .info
        Logger(label: "x") { _ in handler }.error("boom")
        #expect(buffer.lines == ["2024-05-01T12:34:56Z\t\u{1B}[31mERROR\u{1B}[0m\tboom\n"])
    }

    @Test func errorAndProviderMetadata() throws {
        struct Failure: Error, CustomStringConvertible { var description: String { "disk full" } }
        let buffer = LogBuffer()
        let handler = FliptLogHandler(
            formatter: FliptLogFormatter(encoding: .json, utc: true), writer: buffer,
            metadataProvider: .init { ["request_id": "r1"] }, clock: { Self.fixedTime })
        Logger(label: "x") { _ in handler }.error("write failed", error: Failure())
        let object = try jsonObject(buffer.lines[0])
        #expect(object["error"] as? String == "disk full")
        #expect(object["request_id"] as? String == "r1")
    }

    @Test func factoryUsesConfiguredLevelAndWriter() throws {
        let buffer = LogBuffer()
        let config = try loadYAML("log:\n  level: warn\n  encoding: json\n")
        let factory = try makeLogHandlerFactory(config.log, writer: buffer)
        let log = Logger(label: "hoist", factory: factory)
        #expect(log.logLevel == .warning)
        log.info("hidden")
        log.warning("shown")
        #expect(buffer.lines.count == 1)
        #expect(try jsonObject(buffer.lines[0])["M"] as? String == "shown")
    }

    @Test func factoryWritesToLogFile() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let path = dir.path + "/hoist.log"
        let config = HoistConfiguration.Log(encoding: .json, file: path)
        let log = Logger(label: "hoist", factory: try makeLogHandlerFactory(config))
        log.info("one")
        log.info("two")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.split(separator: "\n").count == 2)
        let missingDirectory = HoistConfiguration.Log(file: dir.path + "/no/such/dir/x.log")
        #expect(configError { try makeLogHandlerFactory(missingDirectory) }?.key == "log.file")
    }

    @Test func concurrentWritesDoNotInterleave() async throws {
        let buffer = LogBuffer()
        let log = logger(.init(encoding: .json), buffer: buffer)
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for index in 0..<200 { log.info("message", metadata: ["task": "\(task)", "i": "\(index)"]) }
                }
            }
        }
        #expect(buffer.lines.count == 1600)
        for line in buffer.lines { _ = try jsonObject(line) }
    }

    @Test func rfc3339LocalOffsetShape() {
        let text = FliptLogFormatter.rfc3339(Self.fixedTime, utc: false)
        #expect(text.count == 20 || text.count == 25)  // "…Z" or "…+hh:mm"
        #expect(FliptLogFormatter.rfc3339(0, utc: true) == "1970-01-01T00:00:00Z")
    }

    @Test func bootstrapLevelFromEnvironment() {
        #expect(HoistConfiguration.Log.bootstrap(environment: ["FLIPT_LOG_LEVEL": "debug"]).level == .debug)
        #expect(HoistConfiguration.Log.bootstrap(environment: [:]).level == .info)
    }
}
