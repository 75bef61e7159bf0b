public import Prometheus

/// gRPC status codes, named as go-grpc-prometheus labels them (`grpc_code="NotFound"`).
public enum GRPCStatusCode: Int, Sendable, CaseIterable {
    case ok = 0, canceled, unknown, invalidArgument, deadlineExceeded, notFound, alreadyExists
    case permissionDenied, resourceExhausted, failedPrecondition, aborted, outOfRange
    case unimplemented, `internal`, unavailable, dataLoss, unauthenticated

    /// The label value: Go's `codes.Code.String()`.
    public var name: String {
        switch self {
        case .ok: "OK"
        case .canceled: "Canceled"
        case .unknown: "Unknown"
        case .invalidArgument: "InvalidArgument"
        case .deadlineExceeded: "DeadlineExceeded"
        case .notFound: "NotFound"
        case .alreadyExists: "AlreadyExists"
        case .permissionDenied: "PermissionDenied"
        case .resourceExhausted: "ResourceExhausted"
        case .failedPrecondition: "FailedPrecondition"
        case .aborted: "Aborted"
        case .outOfRange: "OutOfRange"
        case .unimplemented: "Unimplemented"
        case .internal: "Internal"
        case .unavailable: "Unavailable"
        case .dataLoss: "DataLoss"
        case .unauthenticated: "Unauthenticated"
        }
    }
}

/// A gRPC method Flipt serves, e.g. `flipt.Flipt` / `ListFlags`.
public struct GRPCMethod: Sendable, Hashable {
    /// Fully qualified service, e.g. `flipt.evaluation.EvaluationService`.
    public var service: String
    /// Bare method name, e.g. `Variant`.
    public var method: String

    public init(service: String, method: String) {
        self.service = service
        self.method = method
    }
}

/// OPA's HTTP metric, always recorded: `http_request_duration_seconds{code,handler,method}`.
public final class HTTPServerMetrics: Sendable {
    /// OPA's default buckets (seconds).
    public static let defaultBuckets: [Double] = [1e-6, 5e-6, 1e-5, 5e-5, 1e-4, 5e-4, 1e-3, 0.01, 0.1, 1]
    /// The `handler` of a request that matched no route.
    public static let unmatchedHandler = "catchall"

    public let requestDuration: ExemplarHistogramFamily

    public init(buckets: [Double] = HTTPServerMetrics.defaultBuckets, clock: @escaping @Sendable () -> Double = WallClock.seconds) {
        requestDuration = ExemplarHistogramFamily(
            name: "http_request_duration_seconds", help: "A histogram of duration for requests.",
            upperBounds: buckets, labelNames: ["code", "handler", "method"], clock: clock)
    }

    /// The series of one status code, handler (route template) and method (any case; exposed lower-case).
    public func series(code: Int, handler: String, method: String) -> ExemplarHistogram {
        requestDuration.series([String(code), handler, method.lowercased()])
    }
}

/// go-grpc-prometheus' server families, always recorded, for the REST routes that stand for
/// Flipt's gRPC methods (Flipt counts its REST traffic there too).
public final class GRPCServerMetrics: Sendable {
    /// Prometheus' default buckets (seconds), as go-grpc-prometheus uses them.
    public static let defaultBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    let registry: PrometheusCollectorRegistry
    public let handlingSeconds: ExemplarHistogramFamily

    public init(registry: PrometheusCollectorRegistry, clock: @escaping @Sendable () -> Double = WallClock.seconds) {
        self.registry = registry
        handlingSeconds = ExemplarHistogramFamily(
            name: "grpc_server_handling_seconds",
            help: "Histogram of response latency (seconds) of gRPC that had been application-level handled by the server.",
            upperBounds: Self.defaultBuckets, labelNames: ["grpc_method", "grpc_service", "grpc_type"], clock: clock)
    }

    /// The counters and histogram of one unary call outcome.
    public struct Call: Sendable {
        let started: Counter
        let received: Counter
        let handled: Counter
        let sent: Counter?
        let handling: ExemplarHistogram

        /// Records one finished unary call.
        public func record(seconds: Double, traceID: String? = ExemplarContext.traceID) {
            started.increment()
            received.increment()
            handled.increment()
            sent?.increment()
            handling.observe(seconds, traceID: traceID)
        }
    }

    /// Creates every series of `methods` at zero — started, received and sent counters, handled
    /// for all 17 codes, and the handling-time histogram — as go-grpc-prometheus'
    /// `InitializeMetrics` does for each registered method, so rates and ratios work from the
    /// first scrape instead of appearing after the first call (or the first error).
    public func initialize(_ methods: some Sequence<GRPCMethod>) {
        for method in methods {
            for code in GRPCStatusCode.allCases { _ = call(method, code: code) }
        }
    }

    /// Handles for `method` ending with `code` (slow: create once, then cache).
    public func call(_ method: GRPCMethod, code: GRPCStatusCode) -> Call {
        let labels = [("grpc_method", method.method), ("grpc_service", method.service), ("grpc_type", "unary")]
        return Call(
            started: registry.counter("grpc_server_started_total", help: "Total number of RPCs started on the server.", labels: labels),
            received: registry.counter("grpc_server_msg_received_total", help: "Total number of RPC stream messages received on the server.", labels: labels),
            handled: registry.counter("grpc_server_handled_total", help: "Total number of RPCs completed on the server, regardless of success or failure.", labels: [("grpc_code", code.name)] + labels),
            sent: code == .ok
                ? registry.counter("grpc_server_msg_sent_total", help: "Total number of gRPC stream messages sent by the server.", labels: labels)
                : nil,
            handling: handlingSeconds.series([method.method, method.service, "unary"]))
    }
}
