import CompressNIO
public import HoistCore
public import Hummingbird
public import HoistObservability
import Logging
import NIOCore

/// The HTTP entry point: routes requests, maps errors to Flipt's error JSON, and applies the
/// response conventions every endpoint shares (`?pretty`, gzip when asked).
public struct HoistResponder: HTTPResponder {
    public typealias Context = HoistRequestContext

    let routes: RouteTable
    /// Records every request (HTTP, gRPC-equivalent and server-error metrics); nil records nothing.
    let metrics: RequestMetrics?
    /// Traces requests (server span per request, see `HoistResponder+Tracing.swift`); nil when
    /// `tracing.enabled` is false, so the untraced path costs one nil check.
    let tracer: TracingBackend?

    public init(routes: RouteTable, metrics: RequestMetrics? = nil, tracer: TracingBackend? = nil) {
        self.routes = routes
        self.metrics = metrics
        self.tracer = tracer
    }

    public func respond(to request: Request, context: Context) async throws -> Response {
        if let tracer { return try await tracedRespond(to: request, context: context, tracer: tracer) }
        return try await respondUntraced(to: request, context: context)
    }

    func respondUntraced(to request: Request, context: Context) async throws -> Response {
        let started = WallClock.monotonicNanos()
        var matchedTemplate: String?
        var failure: HoistError.Kind?
        var path = request.uri.path
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        var response: Response
        switch routes.match(method: request.method, path: path) {
        case .found(let handler, let parameters, let template):
            let input = RouteInput(request: request, context: context, parameters: parameters, template: template)
            matchedTemplate = template
            do {
                response = try await Self.withAuditActor(request, context) { try await handler(input) }
            } catch let error as any SelfRenderingError {
                failure = error.kind
                response = error.response()
            } catch let error as HoistError {
                failure = error.kind
                response = APIError.response(error)
            } catch let error as HTTPError where error.status == .contentTooLarge {
                failure = .invalid
                response = APIError.response(.invalid("request body too large"))
            } catch is NIOTooManyBytesError {
                // What `Request.body.collect(upTo:)` throws for an oversized body.
                failure = .invalid
                response = APIError.response(.invalid("request body too large"))
            } catch {
                context.logger.error("request failed", metadata: ["error": "\(error)", "hoist.route": "\(template)"])
                failure = .internal
                response = APIError.response(.internal("\(error)"))
            }
        case .methodNotAllowed:
            response = APIError.response(HoistError(.unimplemented, "Method Not Allowed"))
        case .notFound:
            response = APIError.response(.notFound("Not Found"))
        }
        if let query = request.uri.query, QueryParameters(query).contains("pretty"), !Self.isEventStream(response) {
            response = await Self.prettified(response)
        }
        if Self.acceptsGzip(request), response.status != .notModified, !Self.isEventStream(response) {
            response = await Self.gzipped(response)
        }
        metrics?.record(
            template: matchedTemplate, method: request.method.rawValue, status: response.status.code,
            code: failure.map(APIError.grpcStatus) ?? .ok,
            seconds: Double(WallClock.monotonicNanos() &- started) / 1e9)
        return response
    }

    /// Server-Sent Events are written as they happen: never collected for gzip or `?pretty`.
    static func isEventStream(_ response: Response) -> Bool {
        response.headers[.contentType]?.hasPrefix("text/event-stream") == true
    }

    static func acceptsGzip(_ request: Request) -> Bool {
        guard let value = request.headers[.acceptEncoding] else { return false }
        return value.contains("gzip")
    }

    static func collect(_ response: Response) async -> ByteBuffer? {
        let writer = BufferCollector()
        var body = response.body
        _ = try? await body.write(writer)
        body = ResponseBody()
        return writer.collected
    }

    static func gzipped(_ response: Response) async -> Response {
        guard var buffer = await collect(response), buffer.readableBytes > 0 else { return response }
        guard let compressed = try? buffer.compress(with: .gzip(), allocator: ByteBufferAllocator()) else {
            return response
        }
        var out = response
        out.headers[.contentEncoding] = "gzip"
        out.headers[.contentLength] = nil
        out.body = ResponseBody(byteBuffer: compressed)
        return out
    }

    /// Flipt's pretty marshaler indents with two spaces and, quirkily, omits default values.
    static func prettified(_ response: Response) async -> Response {
        guard let buffer = await collect(response),
            let value = try? JSONParser.parse(buffer.readableBytesView)
        else { return response }
        var out = response
        out.headers[.contentLength] = nil
        out.body = ResponseBody(byteBuffer: ByteBuffer(bytes: PrettyJSON.render(value)))
        return out
    }
}

/// Collects a response body that was built from a single buffer.
final class BufferCollector: ResponseBodyWriter, @unchecked Sendable {
    // Used by one task only, sequentially, while a response body is re-read; never shared.
    var collected: ByteBuffer?

    func write(_ buffer: ByteBuffer) async throws {
        if collected == nil {
            collected = buffer
        } else {
            var b = buffer
            collected!.writeBuffer(&b)
        }
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
