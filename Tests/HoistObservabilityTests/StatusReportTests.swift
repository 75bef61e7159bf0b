import Foundation
import HoistCore
import Logging
import Testing

@testable import HoistObservability

/// The status snapshot (spec observability §7.4) and the instance id it carries.
@Suite struct StatusReportTests {
    @Test func reportCarriesEverySection() throws {
        var upload = DecisionLogUploader.UploadState()
        upload.lastAttempt = Timestamp(microseconds: 2_000_000)
        upload.lastSuccess = Timestamp(microseconds: 1_000_000)
        upload.httpCode = 503
        upload.error = "answered 503"
        upload.uploadedEvents = 40
        let report = StatusReport(
            labels: [("id", "i-1"), ("version", "0.1.0"), ("env", "prod")],
            plugins: [("storage", ComponentStatus(.error, "database unavailable")), ("snapshots", .ok)],
            namespaces: [SnapshotStatus(namespace: "default", revision: "abc", builtAtSeconds: 1.5, flagCount: 3)],
            decisionLogs: upload, decisionLogsBuffered: 7, counters: [("flipt_evaluations_requests_total", 12)],
            trigger: "change", timestamp: Timestamp(microseconds: 3_000_000))
        let json = try JSONParser.parse(report.json)
        #expect(json["labels"] == .object([("id", .string("i-1")), ("version", .string("0.1.0")), ("env", .string("prod"))]))
        #expect(json["plugins"]?["storage"] == .object([("state", .string("ERROR")), ("message", .string("database unavailable"))]))
        #expect(json["plugins"]?["snapshots"] == .object([("state", .string("OK"))]))
        #expect(json["namespaces"]?["default"]?["active_revision"]?.stringValue == "abc")
        #expect(json["namespaces"]?["default"]?["flags"] == .number(3))
        #expect(json["namespaces"]?["default"]?["last_rebuild"]?.stringValue == "1970-01-01T00:00:01.500Z")
        #expect(json["decision_logs"]?["state"]?.stringValue == "ERROR")
        #expect(json["decision_logs"]?["http_code"] == .number(503))
        #expect(json["decision_logs"]?["message"]?.stringValue == "answered 503")
        #expect(json["decision_logs"]?["uploaded_events"] == .number(40))
        #expect(json["decision_logs"]?["buffered"] == .number(7))
        #expect(json["metrics"]?["counters"]?["flipt_evaluations_requests_total"] == .number(12))
        #expect(json["trigger"]?.stringValue == "change")
        #expect(report.pluginStates == ["storage": .error, "snapshots": .ok])
    }

    @Test func countersAreSummedOverLabels() {
        let text = """
            # HELP flipt_evaluations_requests_total x
            # TYPE flipt_evaluations_requests_total counter
            flipt_evaluations_requests_total{namespace="default",flag="a"} 3
            flipt_evaluations_requests_total{namespace="default",flag="b"} 4
            hoist_decision_logs_dropped_total{reason="buffer_size_limit_exceeded"} 2
            hoist_other_total 9
            grpc_server_handled_total 1.5
            """
        let counters = StatusReporter.counters(from: Array(text.utf8))
        #expect(counters.map(\.0) == ["flipt_evaluations_requests_total", "grpc_server_handled_total", "hoist_decision_logs_dropped_total"])
        #expect(counters.map(\.1) == [7, 1.5, 2])
    }

    @Test func instanceIdIsStableAcrossRestarts() throws {
        let directory = NSTemporaryDirectory() + "hoist-instance-\(UUID().uuidString)/state"
        defer { try? FileManager.default.removeItem(atPath: (directory as NSString).deletingLastPathComponent) }
        let logger = Logger(label: "test")
        let first = InstanceIdentity(directory: directory, logger: logger).id
        #expect(UUID(uuidString: first) != nil)
        #expect(InstanceIdentity(directory: directory, logger: logger).id == first)
        let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/instance.json")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        // An unreadable file is replaced by a fresh id rather than failing the start.
        try Data("not json".utf8).write(to: URL(fileURLWithPath: directory + "/instance.json"))
        let replaced = InstanceIdentity(directory: directory, logger: logger).id
        #expect(replaced != first && UUID(uuidString: replaced) != nil)
        #expect(InstanceIdentity(directory: directory, logger: logger).id == replaced)
    }
}
