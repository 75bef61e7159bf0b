import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// Posts spans to a Zipkin v2 collector (`tracing.zipkin.endpoint`, `FLIPT_TRACING_ZIPKIN_ENDPOINT`,
/// default `http://localhost:9411/api/v2/spans`) as JSON, with the shared HTTP client.
public struct ZipkinExporter: SpanExporter {
    public let endpoint: String
    public let serviceName: String
    let client: HTTPClient
    let timeout: TimeAmount

    public init(endpoint: String, serviceName: String, client: HTTPClient = .shared, timeout: TimeAmount = .seconds(10)) {
        self.endpoint = endpoint
        self.serviceName = serviceName
        self.client = client
        self.timeout = timeout
    }

    public func export(_ batch: [FinishedSpan]) async throws {
        var request = HTTPClientRequest(url: endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: ZipkinJSON.encode(batch, serviceName: serviceName)))
        let response = try await client.execute(request, timeout: timeout)
        _ = try? await response.body.collect(upTo: 64 * 1024)
        guard (200..<300).contains(response.status.code) else { throw ZipkinExportError(status: Int(response.status.code)) }
    }

    public func shutdown() async {}
}

public struct ZipkinExportError: Error, CustomStringConvertible {
    public var status: Int
    public var description: String { "zipkin collector answered HTTP \(status)" }
}
