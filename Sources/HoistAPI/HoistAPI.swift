import Foundation
public import HoistCore
public import HoistEngine
public import HoistObservability
public import HoistStorage
public import Hummingbird
public import Logging
import NIOCore
import Tracing

/// The HTTP API of Hoist: Flipt v1's management, evaluation and snapshot endpoints.
public struct HoistAPI: Sendable {
    let store: any FlagStore
    let engine: SnapshotEngine
    let logger: Logger
    let health: HealthRegistry
    /// What `/metrics` serves and the evaluation and request recorders write to.
    public let metrics: HoistMetrics
    /// Maximum accepted request body (attachments may be up to 1000 KB).
    let maximumBodyBytes = 4 * 1024 * 1024
    /// Traces requests and evaluations when `tracing.enabled` (nil otherwise: no span work at all).
    public var tracer: TracingBackend? = nil
    /// Counts evaluations for the built-in analytics (nil when `analytics.storage.database.enabled` is false).
    public var evaluationCounter: EvaluationCounter? = nil
    /// Answers `GET /internal/v1/analytics/…` (nil: analytics not enabled, 404).
    public var analyticsSource: (any EvaluationCountSource)? = nil
    /// Bodies of `GET /meta/info` and `/meta/config` (nil: 404).
    public var meta: MetaDocuments? = nil
    /// Where evaluations leave their decisions when `decision_logs.enabled` (nil: one nil check).
    public var decisionLog: DecisionLogBuffer? = nil
    /// Builds the `GET /api/v1/status` snapshot (nil: the route answers 404).
    public var status: StatusReporter? = nil
    /// What `GET /ofrep/v1/configuration` reports (from `cache.*`).
    public var ofrep = OFREPSettings()
    /// Open `/internal/v1/evaluation/snapshots/stream` connections and their limits.
    public var snapshotStreams = SnapshotStreamHub()

    public init(
        store: any FlagStore, engine: SnapshotEngine, logger: Logger, health: HealthRegistry = HealthRegistry(),
        metrics: HoistMetrics = HoistMetrics()
    ) {
        self.store = store
        self.engine = engine
        self.logger = logger
        self.health = health
        self.metrics = metrics
        metrics.grpc.initialize(FliptGRPCMethods.allMethods)
    }

    /// Every route of the server.
    public func routes() -> RouteTable {
        var table = RouteTable()
        addHealthRoutes(to: &table)
        addNamespaceRoutes(to: &table)
        for prefix in ["/api/v1/namespaces/{namespaceKey}", "/api/v1"] {
            addFlagRoutes(to: &table, prefix: prefix)
            addRuleRoutes(to: &table, prefix: prefix)
            addSegmentRoutes(to: &table, prefix: prefix)
        }
        addRolloutRoutes(to: &table, prefix: "/api/v1/namespaces/{namespaceKey}")
        addEvaluationRoutes(to: &table)
        addLegacyEvaluationRoutes(to: &table)
        addSnapshotRoutes(to: &table)
        addSnapshotStreamRoutes(to: &table)
        addOFREPRoutes(to: &table)
        addMetricsRoutes(to: &table)
        addAuditRoutes(to: &table)
        addAnalyticsRoutes(to: &table)
        addMetaRoutes(to: &table)
        addStatusRoutes(to: &table)
        return table
    }

    /// The responder to hand to Hummingbird's `Application`.
    public func responder() -> HoistResponder {
        HoistResponder(
            routes: routes(), metrics: RequestMetrics(metrics: metrics, resolver: FliptGRPCMethods.resolve),
            tracer: tracer)
    }

    // MARK: Shared helpers

    func body(_ input: RouteInput) async throws -> BodyFields {
        let buffer = try await input.request.body.collect(upTo: maximumBodyBytes)
        return try BodyFields(bytes: buffer)
    }

    /// The namespace of a request: the path parameter, else (legacy paths) the body field or query parameter.
    func namespaceKey(_ input: RouteInput, _ body: BodyFields? = nil) throws -> String {
        var key = input.parameters["namespaceKey"]
        if key.isEmpty, let body { key = try body.string("namespaceKey", "namespace_key") }
        if key.isEmpty { key = query(input).value("namespaceKey", "namespace_key") ?? "" }
        return key.isEmpty ? Namespace.defaultKey : key
    }

    func query(_ input: RouteInput) -> QueryParameters { QueryParameters(input.request.uri.query) }

    /// Serves the write's effect: rebuilds the namespace snapshot before acknowledging.
    func committed(_ namespaceKey: String) async {
        if let tracer, let span = tracer.startSpan("snapshot.rebuild", ofKind: .internal) {
            return await tracedCommitted(namespaceKey, span: span)
        }
        do {
            try await engine.refresh(namespaceKey: namespaceKey)
        } catch {
            logger.error(
                "snapshot rebuild after write failed",
                metadata: ["hoist.namespace": "\(namespaceKey)", "error": "\(error)"])
        }
    }

    static func json(status: HTTPResponse.Status = .ok, _ build: (inout JSONWriter) -> Void) -> Response {
        var w = JSONWriter()
        build(&w)
        return json(bytes: w.bytes, status: status)
    }

    static func json(bytes: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static let empty = json(bytes: Array("{}".utf8))

    /// The current wall-clock time, to the microsecond (response timestamps, snapshot build times).
    public static func now() -> Timestamp {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Timestamp(microseconds: Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000)
    }
}
