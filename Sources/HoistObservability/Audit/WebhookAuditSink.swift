public import AsyncHTTPClient
import Crypto
import Foundation
public import HoistCore
public import HoistStorage
public import Logging
import NIOCore
import NIOHTTP1

/// The webhook sink (spec observability §3.8, §3.9): one POST per event, in commit order.
///
/// Config: `audit.sinks.webhook.enabled|url|signing_secret|max_backoff_duration|templates`
/// (`FLIPT_AUDIT_SINKS_WEBHOOK_*`; `max_backoff_duration` default `15s`).
///
/// Each request carries `Content-Type: application/json`, `Idempotency-Key: <event id>` and, in URL
/// mode with a signing secret, `x-flipt-webhook-signature` = lowercase hex HMAC-SHA256 of the body.
/// Unlike Flipt it never gives up on a retryable failure (transport error, 429, 5xx but 501): it
/// waits 1 s × 2ⁿ capped at `max_backoff_duration` and tries again, for as long as it takes (the
/// outbox keeps the event). Any other non-2xx answer is a failed delivery: returned to the
/// dispatcher, which logs, counts and records it (`audit_failures`), and moves on.
/// Timeouts: connect 5 s, read 10 s. Redirects are not followed.
public final class WebhookAuditSink: AuditSink {
    /// How a request body is made from an event.
    public enum Body: Sendable {
        /// The event JSON (URL mode), signed when a secret is set.
        case event(signingSecret: String)
        /// A template (templates mode, never signed); the rendered text must be valid JSON.
        case template(AuditTemplate)
    }

    public let name: String
    let url: String
    let headers: [(String, String)]
    let body: Body
    let maxBackoff: Duration
    let client: HTTPClient
    let logger: Logger
    /// Called for every attempt's outcome (`success`, `retry`, `failed`) — metrics.
    let onAttempt: @Sendable (String) -> Void

    public init(
        name: String, url: String, headers: [(String, String)] = [], body: Body, maxBackoff: Duration,
        logger: Logger, onAttempt: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.name = name
        self.url = url
        self.headers = headers
        self.body = body
        self.maxBackoff = maxBackoff <= .zero ? .seconds(15) : maxBackoff
        self.logger = logger
        self.onAttempt = onAttempt
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(5), read: .seconds(10)))
        configuration.httpVersion = .http1Only
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    /// Lowercase hex HMAC-SHA256 of `body` keyed with `secret` (`x-flipt-webhook-signature`).
    public static func signature(body: [UInt8], secret: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(secret.utf8)))
        return code.map { String(format: "%02x", $0) }.joined()
    }

    /// Whether an HTTP status is worth retrying (429, 5xx except 501).
    public static func isRetryable(status: Int) -> Bool {
        status == 429 || (status >= 500 && status != 501)
    }

    public func deliver(_ events: [AuditRecord]) async throws -> [AuditSinkFailure] {
        var failures: [AuditSinkFailure] = []
        for event in events {
            if let message = try await deliver(event) {
                failures.append(AuditSinkFailure(event: event, message: message))
            }
        }
        return failures
    }

    /// Delivers one event; returns a failure message when given up on.
    func deliver(_ event: AuditRecord) async throws -> String? {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let bytes: [UInt8]
        switch body {
        case .event(let secret):
            bytes = AuditEventEncoder.webhookBody(event)
            if !secret.isEmpty {
                request.headers.add(name: "x-flipt-webhook-signature", value: Self.signature(body: bytes, secret: secret))
            }
        case .template(let template):
            do {
                bytes = try template.render(event)
            } catch {
                logger.error("audit webhook template failed", metadata: [
                    "hoist.audit.sink": "\(name)", "hoist.audit.event": "\(event.id)", "error": "\(error)",
                ])
                onAttempt("failed")
                return "\(error)"
            }
        }
        let contentType = request.headers.first(name: "Content-Type") ?? ""
        if !contentType.hasPrefix("application/json") { request.headers.add(name: "Content-Type", value: "application/json") }
        request.headers.replaceOrAdd(name: "Idempotency-Key", value: event.id)
        request.body = .bytes(ByteBuffer(bytes: bytes))

        var attempt = 0
        while true {
            try Task.checkCancellation()
            let problem: String
            do {
                let response = try await client.execute(request, timeout: .seconds(30))
                _ = try? await response.body.collect(upTo: 64 * 1024)
                let status = Int(response.status.code)
                if (200..<300).contains(status) {
                    onAttempt("success")
                    return nil
                }
                guard Self.isRetryable(status: status) else {
                    onAttempt("failed")
                    return "webhook answered \(status)"
                }
                problem = "webhook answered \(status)"
            } catch let error as CancellationError {
                throw error
            } catch {
                problem = "\(error)"
            }
            onAttempt("retry")
            let wait = min(Duration.seconds(1) * (1 << min(attempt, 20)), maxBackoff)
            if attempt % 10 == 0 {
                logger.warning("audit webhook delivery failed, retrying", metadata: [
                    "hoist.audit.sink": "\(name)", "hoist.audit.event": "\(event.id)",
                    "hoist.audit.attempt": "\(attempt + 1)", "error": "\(problem)",
                ])
            }
            attempt += 1
            try await Task.sleep(for: wait)
        }
    }

    public func shutdown() async {
        try? await client.shutdown()
    }
}
