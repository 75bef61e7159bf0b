import Synchronization

/// Records one finished HTTP request into every family that counts requests: OPA's
/// `http_request_duration_seconds`, go-grpc-prometheus' `grpc_server_*` when the route stands for
/// a Flipt gRPC method, and `flipt_server_errors_total` when that call failed.
///
/// The handles of each (route template, method, status, gRPC code) combination are resolved once
/// and cached, so a request costs one lock around one dictionary lookup plus atomic increments.
public final class RequestMetrics: Sendable {
    /// Maps an HTTP method (upper-case, e.g. `GET`) and route template to Flipt's gRPC method.
    public typealias GRPCResolver = @Sendable (_ method: String, _ template: String) -> GRPCMethod?

    struct Key: Hashable, Sendable {
        var template: String
        var method: String
        var status: Int
        var code: GRPCStatusCode
    }

    final class Entry: Sendable {
        let http: ExemplarHistogram
        let grpc: GRPCServerMetrics.Call?
        let serverError: Bool

        init(http: ExemplarHistogram, grpc: GRPCServerMetrics.Call?, serverError: Bool) {
            self.http = http
            self.grpc = grpc
            self.serverError = serverError
        }
    }

    let metrics: HoistMetrics
    let resolver: GRPCResolver
    let entries = Mutex<[Key: Entry]>([:])

    public init(metrics: HoistMetrics, resolver: @escaping GRPCResolver) {
        self.metrics = metrics
        self.resolver = resolver
    }

    /// Records a finished request.
    /// - Parameters:
    ///   - template: the matched route template, `nil` when no route matched (handler `catchall`).
    ///   - method: the HTTP method as sent (`GET`).
    ///   - status: the HTTP status code of the response.
    ///   - code: the gRPC code of the outcome (`.ok` on success, else from the Flipt error).
    ///   - seconds: wall time of the whole request.
    public func record(
        template: String?, method: String, status: Int, code: GRPCStatusCode, seconds: Double,
        traceID: String? = ExemplarContext.traceID
    ) {
        let key = Key(template: template ?? "", method: Self.boundedMethod(method), status: status, code: code)
        let entry = entries.withLock { $0[key] } ?? makeEntry(key, matched: template != nil)
        entry.http.observe(seconds, traceID: traceID)
        if let grpc = entry.grpc {
            grpc.record(seconds: seconds, traceID: traceID)
            if entry.serverError { metrics.flipt?.recordServerError() }
        }
    }

    /// The method label: a standard method as sent, anything else `OTHER`, so clients cannot mint
    /// series with made-up methods.
    static func boundedMethod(_ method: String) -> String {
        switch method {
        case "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS": method
        default: "OTHER"
        }
    }

    private func makeEntry(_ key: Key, matched: Bool) -> Entry {
        let handler = matched ? key.template : HTTPServerMetrics.unmatchedHandler
        let grpcMethod = matched ? resolver(key.method, key.template) : nil
        let entry = Entry(
            http: metrics.http.series(code: key.status, handler: handler, method: key.method),
            grpc: grpcMethod.map { metrics.grpc.call($0, code: key.code) },
            serverError: key.code != .ok)
        return entries.withLock { entries in
            if let raced = entries[key] { return raced }
            entries[key] = entry
            return entry
        }
    }
}
