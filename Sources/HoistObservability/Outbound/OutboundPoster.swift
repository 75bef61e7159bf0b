public import AsyncHTTPClient
import Foundation
import Instrumentation
public import NIOCore
public import NIOHTTP1
import Tracing

/// POSTs status reports and decision-log chunks to a control plane.
///
/// Each request carries the configured headers (`status.headers`, …) and, when traced, a client
/// span whose context is injected in the configured propagation formats, so the receiver can join
/// the trace. A POST is traced inside a traced request, and otherwise (background reports and
/// uploads) when the `tracing.sampling_ratio` draw wins. Timeouts: connect 5 s (a refused
/// connection fails the attempt at once: no re-dialling), whole request `timeout`. Redirects are
/// not followed.
/// Connections are HTTP/1.1 and kept alive between posts (AsyncHTTPClient's pool) when the receiver allows.
/// Never throws: the outcome says what happened.
public final class OutboundPoster: Sendable {
    /// What one POST achieved.
    public struct Outcome: Sendable, Equatable {
        /// The HTTP status, nil when no response arrived.
        public var status: Int?
        /// Transport error or non-2xx description; nil on success.
        public var error: String?

        public var succeeded: Bool { error == nil }

        public init(status: Int?, error: String?) {
            self.status = status
            self.error = error
        }
    }

    let client: HTTPClient
    let headers: [(String, String)]
    let tracer: TracingBackend?
    let timeout: Duration

    public init(headers: [(String, String)] = [], tracer: TracingBackend? = nil, timeout: Duration = .seconds(10)) {
        self.headers = headers
        self.tracer = tracer
        self.timeout = timeout
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5), read: .seconds(10)))
        configuration.httpVersion = .http1Only
        // Callers own the retry policy (decision logs and status reports back off and retry), so a
        // refused connection is reported at once instead of AsyncHTTPClient quietly re-dialling until
        // the 5 s connect timeout, which held every failed attempt (and shutdown's last one) that long.
        configuration.connectionPool.retryConnectionEstablishment = false
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    /// POSTs `body` to `url`; `spanName` names the client span when tracing is on.
    public func post(
        url: String, body: [UInt8], extraHeaders: [(String, String)] = [], spanName: String
    ) async -> Outcome {
        await post(url: url, body: ByteBuffer(bytes: body), extraHeaders: extraHeaders, spanName: spanName)
    }

    /// POSTs `body` (sent as is, no copy) to `url`; `spanName` names the client span when tracing is on.
    public func post(
        url: String, body: ByteBuffer, extraHeaders: [(String, String)] = [], spanName: String
    ) async -> Outcome {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        for (name, value) in extraHeaders { request.headers.replaceOrAdd(name: name, value: value) }
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        request.body = .bytes(body)
        guard let tracer, let span = tracer.startSpan(spanName, ofKind: .client) else { return await send(request) }
        defer { span.end() }
        tracer.tracer.inject(span.context, into: &request.headers, using: HTTPHeadersInjector())
        let outcome = await send(request)
        var attributes: SpanAttributes = ["http.request.method": "POST", "url.full": .string(url)]
        if let status = outcome.status { attributes.set("http.response.status_code", value: .int64(Int64(status))) }
        TracingBackend.assign(span, attributes)
        if let error = outcome.error { span.setStatus(SpanStatus(code: .error, message: error)) }
        return outcome
    }

    func send(_ request: HTTPClientRequest) async -> Outcome {
        do {
            let response = try await client.execute(request, timeout: .seconds(Int64(timeout.components.seconds)))
            _ = try? await response.body.collect(upTo: 64 * 1024)
            let status = Int(response.status.code)
            return Outcome(status: status, error: (200..<300).contains(status) ? nil : "answered \(status)")
        } catch {
            return Outcome(status: nil, error: "\(error)")
        }
    }

    /// Closes the connection pool (call once, when the owner stops).
    public func shutdown() async {
        try? await client.shutdown()
    }
}

/// Writes propagation headers into NIO's `HTTPHeaders`.
public struct HTTPHeadersInjector: Injector {
    public init() {}
    public func inject(_ value: String, forKey key: String, into carrier: inout HTTPHeaders) {
        carrier.replaceOrAdd(name: key, value: value)
    }
}
