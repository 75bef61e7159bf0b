import Foundation
import HoistCore
import HoistObservability
import Logging
import Synchronization
import Testing

@Suite struct TelemetryTests {
    func temporaryDirectory() -> String {
        NSTemporaryDirectory() + "hoist-telemetry-\(UUID().uuidString)"
    }

    @Test func theReportHasExactlyTheDocumentedFields() throws {
        let full = TelemetryFacts(
            version: "1.2.3", os: "linux", arch: "amd64", authenticationMethods: ["token"], auditSinks: ["log", "webhook"],
            tracingExporter: "otlp", analyticsStorage: "database")
        #expect(String(decoding: TelemetryReport.encode(uuid: "u-1", facts: full), as: UTF8.self) == """
            {"version":"1.5","uuid":"u-1","hoist":{"version":"1.2.3","os":"linux","arch":"amd64",\
            "storage":{"type":"database","database":"sqlite","cache":"memory"},"authentication":{"methods":["token"]},\
            "audit":{"sinks":["log","webhook"]},"tracing":{"exporter":"otlp"},"analytics":{"storage":"database"},\
            "experimental":{}}}
            """)
        let minimal = TelemetryFacts(version: "1.2.3", os: "darwin", arch: "arm64", cache: nil)
        #expect(String(decoding: TelemetryReport.encode(uuid: "u-2", facts: minimal), as: UTF8.self) == """
            {"version":"1.5","uuid":"u-2","hoist":{"version":"1.2.3","os":"darwin","arch":"arm64",\
            "storage":{"type":"database","database":"sqlite"},"experimental":{}}}
            """)
        let declarative = TelemetryFacts(version: "1.2.3", os: "linux", arch: "amd64", storageType: "local", database: nil)
        #expect(String(decoding: TelemetryReport.encode(uuid: "u-3", facts: declarative), as: UTF8.self) == """
            {"version":"1.5","uuid":"u-3","hoist":{"version":"1.2.3","os":"linux","arch":"amd64",\
            "storage":{"type":"local","cache":"memory"},"experimental":{}}}
            """)
    }

    @Test(arguments: [
        (true, [:], nil), (false, [:], "meta.telemetry_enabled is false"),
        (true, ["DO_NOT_TRACK": "1"], "DO_NOT_TRACK is set"), (true, ["DO_NOT_TRACK": "true"], "DO_NOT_TRACK is set"),
        (true, ["CI": "true"], "CI is set"), (true, ["CI": "TRUE"], "CI is set"), (true, ["CI": "1"], "CI is set"),
        (true, ["CI": "false", "DO_NOT_TRACK": "0"], nil), (true, ["CI": ""], nil),
    ] as [(Bool, [String: String], String?)])
    func optOuts(enabled: Bool, environment: [String: String], reason: String?) {
        #expect(TelemetryOptOut.reason(telemetryEnabled: enabled, environment: environment) == reason)
    }

    @Test func theStateKeepsOneUUIDAndRejectsCorruptFiles() throws {
        let directory = temporaryDirectory() + "/nested/hoist"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = TelemetryStateFile(directory: directory)
        try file.prepareDirectory()
        let permissions = try FileManager.default.attributesOfItem(atPath: directory)[.posixPermissions] as? Int
        #expect(permissions == 0o700)
        #expect(try file.load() == nil)
        let created = try file.loadOrCreate()
        #expect(UUID(uuidString: created.uuid) != nil)
        #expect(created.uuid == created.uuid.lowercased())
        #expect(try file.loadOrCreate().uuid == created.uuid)
        try "{not json".write(toFile: file.path, atomically: true, encoding: .utf8)
        #expect(throws: TelemetryError.self) { try file.load() }
        try "".write(toFile: file.path, atomically: true, encoding: .utf8)
        #expect(try file.load() == nil)
    }

    @Test func aFileWhereTheDirectoryShouldBeIsRefused() throws {
        let path = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "x".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: TelemetryError.self) { try TelemetryStateFile(directory: path).prepareDirectory() }
    }

    @Test func reportsAtStartThenPeriodicallyWithTheSameUUIDAndRecordsTheTime() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let bodies = Mutex<[[UInt8]]>([])
        var options = TelemetryReporter.Options()
        options.interval = .milliseconds(10)
        let reporter = TelemetryReporter(
            stateFile: TelemetryStateFile(directory: directory), facts: TelemetryFacts(), options: options,
            logger: Logger(label: "test"), now: { Timestamp(microseconds: 1_704_110_400_000_000) },
            send: { body in bodies.withLock { $0.append(body) } })
        let task = Task { await reporter.run() }
        for _ in 0..<300 where bodies.withLock({ $0.count }) < 3 { try await Task.sleep(for: .milliseconds(10)) }
        task.cancel()
        _ = await task.value
        let sent = bodies.withLock { $0 }
        #expect(sent.count >= 3)
        let uuids = Set(sent.map { (try? JSONParser.parse($0))?["uuid"]?.stringValue ?? "" })
        let state = try #require(try TelemetryStateFile(directory: directory).load())
        #expect(uuids == [state.uuid])
        #expect(state.lastTimestamp == "2024-01-01T12:00:00Z")
        #expect(state.version == "1.5")
    }

    @Test func givesUpAfterThreeConsecutiveFailures() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let attempts = Atomic<Int>(0)
        var options = TelemetryReporter.Options()
        options.interval = .milliseconds(1)
        let reporter = TelemetryReporter(
            stateFile: TelemetryStateFile(directory: directory), facts: TelemetryFacts(), options: options,
            logger: Logger(label: "test"), now: { Timestamp(microseconds: 0) },
            send: { _ in
                attempts.add(1, ordering: .relaxed)
                throw TelemetryError("receiver down")
            })
        let delivered = await reporter.run()  // returns by itself
        #expect(delivered == 0)
        #expect(attempts.load(ordering: .relaxed) == 3)
        // The id was kept even though no report got through, so the next start reuses it.
        let state = try #require(try TelemetryStateFile(directory: directory).load())
        #expect(state.lastTimestamp == "")
    }
}
