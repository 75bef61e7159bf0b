import AsyncHTTPClient
public import HoistCore
public import Logging
import NIOCore
import NIOHTTP1

/// Sends the anonymous report at start and then every `interval` (4 hours), and gives up for the
/// life of the process after `maxConsecutiveFailures` (3) failed reports in a row.
///
/// Only built when telemetry is on (see ``TelemetryOptOut``) and `meta.telemetry_url` is set.
public struct TelemetryReporter: Sendable {
    public struct Options: Sendable {
        public var interval: Duration = .seconds(4 * 3600)
        public var maxConsecutiveFailures = 3
        public init() {}
    }

    public let stateFile: TelemetryStateFile
    public let facts: TelemetryFacts
    public let options: Options
    let send: @Sendable ([UInt8]) async throws -> Void
    let now: @Sendable () -> Timestamp
    let logger: Logger

    /// - Parameters:
    ///   - send: delivers one report body (``TelemetryReporter/post(to:client:)`` in the server).
    ///   - now: wall clock for `lastTimestamp`.
    public init(
        stateFile: TelemetryStateFile, facts: TelemetryFacts, options: Options = Options(), logger: Logger,
        now: @escaping @Sendable () -> Timestamp, send: @escaping @Sendable ([UInt8]) async throws -> Void
    ) {
        self.stateFile = stateFile
        self.facts = facts
        self.options = options
        self.send = send
        self.now = now
        self.logger = logger
    }

    /// Reports until cancelled or until too many consecutive failures. Returns the number of
    /// reports delivered.
    @discardableResult
    public func run() async -> Int {
        var failures = 0
        var delivered = 0
        while !Task.isCancelled {
            do {
                try await report()
                failures = 0
                delivered += 1
            } catch {
                failures += 1
                logger.debug(
                    "telemetry report failed",
                    metadata: ["component": "telemetry", "error": "\(error)", "hoist.telemetry.failures": "\(failures)"])
                if failures >= options.maxConsecutiveFailures {
                    logger.debug(
                        "telemetry stopped after consecutive failures",
                        metadata: ["component": "telemetry", "hoist.telemetry.failures": "\(failures)"])
                    return delivered
                }
            }
            do {
                try await Task.sleep(for: options.interval)
            } catch {
                break
            }
        }
        return delivered
    }

    /// One report: reads (or creates) the state, sends, then records `lastTimestamp`.
    public func report() async throws {
        try stateFile.prepareDirectory()
        var state = try stateFile.loadOrCreate()
        try await send(TelemetryReport.encode(uuid: state.uuid, facts: facts))
        state.version = TelemetryReport.schemaVersion
        state.lastTimestamp = now().rfc3339Seconds
        try stateFile.save(state)
        logger.debug("telemetry report sent", metadata: ["component": "telemetry"])
    }

    /// A sender that POSTs the report as JSON to `url`; any answer outside 2xx is a failure.
    public static func post(
        to url: String, client: HTTPClient = .shared, timeout: TimeAmount = .seconds(10)
    ) -> @Sendable ([UInt8]) async throws -> Void {
        { body in
            var request = HTTPClientRequest(url: url)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "User-Agent", value: "hoist/\(HoistBuild.version)")
            request.body = .bytes(ByteBuffer(bytes: body))
            let response = try await client.execute(request, timeout: timeout)
            _ = try? await response.body.collect(upTo: 64 * 1024)
            guard (200..<300).contains(response.status.code) else {
                throw TelemetryError("telemetry receiver answered HTTP \(response.status.code)")
            }
        }
    }
}

/// Why telemetry is off, from the configuration and the environment (checked in this order):
/// `meta.telemetry_enabled: false` (or `FLIPT_META_TELEMETRY_ENABLED=false`, or
/// `FLIPT_TELEMETRY_ENABLED=false`), `DO_NOT_TRACK` = `true`/`1`, `CI` = `true`/`1`.
public enum TelemetryOptOut {
    /// The reason telemetry must not run, or nil when it may.
    public static func reason(telemetryEnabled: Bool, environment: [String: String]) -> String? {
        if !telemetryEnabled { return "meta.telemetry_enabled is false" }
        if isSet(environment["DO_NOT_TRACK"]) { return "DO_NOT_TRACK is set" }
        if isSet(environment["CI"]) { return "CI is set" }
        return nil
    }

    static func isSet(_ value: String?) -> Bool {
        guard let value = value?.lowercased() else { return false }
        return value == "true" || value == "1"
    }
}
