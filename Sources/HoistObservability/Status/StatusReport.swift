public import HoistCore

/// One full status snapshot (spec observability §7.4), what `POST <status.service>/status` carries
/// and `GET /api/v1/status` returns:
///
/// ```json
/// {"labels":{"id":"<instance uuid>","version":"0.1.0",…status.labels},
///  "plugins":{"storage":{"state":"OK"},"snapshots":{"state":"OK"},…},
///  "namespaces":{"default":{"active_revision":"<etag>","flags":3,"last_rebuild":"<RFC 3339>"}},
///  "decision_logs":{"state":"OK","http_code":200,"last_upload":"…","last_success":"…","uploaded_events":12,"buffered":0},
///  "metrics":{"counters":{"flipt_evaluations_requests_total":12,…}},
///  "trigger":"initial"|"change"|"periodic"|"shutdown"|"pull","timestamp":"<RFC 3339>"}
/// ```
/// `decision_logs` is present only when decision logs are enabled; its `message` appears after a
/// failed upload. Plugin states are OPA's `OK`, `NOT_READY`, `ERROR`, `WARN`.
public struct StatusReport: Sendable {
    public var labels: [(String, String)]
    public var plugins: [(name: String, status: ComponentStatus)]
    public var namespaces: [SnapshotStatus]
    public var decisionLogs: DecisionLogUploader.UploadState?
    public var decisionLogsBuffered: Int
    public var counters: [(String, Double)]
    public var trigger: String
    public var timestamp: Timestamp

    public init(
        labels: [(String, String)], plugins: [(name: String, status: ComponentStatus)], namespaces: [SnapshotStatus],
        decisionLogs: DecisionLogUploader.UploadState?, decisionLogsBuffered: Int = 0, counters: [(String, Double)],
        trigger: String, timestamp: Timestamp
    ) {
        self.labels = labels
        self.plugins = plugins
        self.namespaces = namespaces
        self.decisionLogs = decisionLogs
        self.decisionLogsBuffered = decisionLogsBuffered
        self.counters = counters
        self.trigger = trigger
        self.timestamp = timestamp
    }

    /// The states that define a "change": a report is pushed whenever one of these differs.
    public var pluginStates: [String: ComponentState] {
        Dictionary(plugins.map { ($0.name, $0.status.state) }, uniquingKeysWith: { _, last in last })
    }

    public var json: [UInt8] {
        var w = JSONWriter(capacity: 1024)
        w.raw("{\"labels\":")
        Self.object(&w, labels) { w, value in w.string(value) }
        w.raw(",\"plugins\":")
        Self.object(&w, plugins.map { ($0.name, $0.status) }) { w, status in
            w.raw("{\"state\":")
            w.string(status.state.rawValue)
            if !status.message.isEmpty {
                w.raw(",\"message\":")
                w.string(status.message)
            }
            w.raw("}")
        }
        w.raw(",\"namespaces\":")
        Self.object(&w, namespaces.map { ($0.namespace, $0) }) { w, snapshot in
            w.raw("{\"active_revision\":")
            w.string(snapshot.revision)
            w.raw(",\"flags\":")
            w.int(snapshot.flagCount)
            w.raw(",\"last_rebuild\":")
            w.timestamp(Timestamp(microseconds: Int64(snapshot.builtAtSeconds * 1_000_000)))
            w.raw("}")
        }
        if let upload = decisionLogs { writeDecisionLogs(&w, upload) }
        w.raw(",\"metrics\":{\"counters\":")
        Self.object(&w, counters) { w, value in w.double(value) }
        w.raw("},\"trigger\":")
        w.string(trigger)
        w.raw(",\"timestamp\":")
        w.timestamp(timestamp)
        w.raw("}")
        return w.bytes
    }

    func writeDecisionLogs(_ w: inout JSONWriter, _ upload: DecisionLogUploader.UploadState) {
        w.raw(",\"decision_logs\":{\"state\":")
        w.string(upload.error == nil ? "OK" : "ERROR")
        if let code = upload.httpCode {
            w.raw(",\"http_code\":")
            w.int(code)
        }
        if let error = upload.error {
            w.raw(",\"code\":\"decision_logs_upload_failed\",\"message\":")
            w.string(error)
        }
        if let last = upload.lastAttempt {
            w.raw(",\"last_upload\":")
            w.timestamp(last)
        }
        if let last = upload.lastSuccess {
            w.raw(",\"last_success\":")
            w.timestamp(last)
        }
        w.raw(",\"uploaded_events\":")
        w.int(upload.uploadedEvents)
        w.raw(",\"buffered\":")
        w.int(decisionLogsBuffered)
        w.raw("}")
    }

    static func object<Value>(_ w: inout JSONWriter, _ members: [(String, Value)], _ value: (inout JSONWriter, Value) -> Void) {
        w.raw("{")
        for (index, (key, member)) in members.enumerated() {
            if index > 0 { w.raw(",") }
            w.string(key)
            w.raw(":")
            value(&w, member)
        }
        w.raw("}")
    }
}
