import HoistCore
import HoistEngine
import Hummingbird
import HTTPTypes
import NIOCore

/// What `GET /ofrep/v1/configuration` reports, from Flipt's `cache` section.
public struct OFREPSettings: Sendable {
    /// `cache.enabled` (`FLIPT_CACHE_ENABLED`, default false): reported as polling enabled.
    public var pollingEnabled: Bool
    /// `cache.ttl` in milliseconds (`FLIPT_CACHE_TTL`, default 60s), reported as the minimum
    /// polling interval; 0 when the cache is disabled, as Flipt does.
    public var minPollingIntervalMilliseconds: Int64

    public init(pollingEnabled: Bool = false, minPollingIntervalMilliseconds: Int64 = 0) {
        self.pollingEnabled = pollingEnabled
        self.minPollingIntervalMilliseconds = pollingEnabled ? minPollingIntervalMilliseconds : 0
    }
}

extension HoistAPI {
    static let fliptNamespaceHeader = HTTPField.Name("X-Flipt-Namespace")!

    /// OpenFeature Remote Evaluation Protocol (evaluation spec §7): configuration, single-flag and
    /// bulk evaluation. Evaluations go through ``evaluateVariant`` / ``evaluateBoolean``, so they
    /// are counted, traced and logged like every other evaluation.
    func addOFREPRoutes(to table: inout RouteTable) {
        table.add(.get, "/ofrep/v1/configuration") { _ in
            HoistAPI.json {
                $0.ofrepConfiguration(
                    pollingEnabled: ofrep.pollingEnabled,
                    minPollingIntervalMilliseconds: ofrep.minPollingIntervalMilliseconds)
            }
        }
        table.add(.post, "/ofrep/v1/evaluate/flags/{key}") { input in
            let context = try await ofrepContext(input)
            let key = input.parameters["key"]
            guard !key.isEmpty else { throw OFREPError.flagKeyMissing }
            let namespace = ofrepNamespace(input.request)
            let outcome = try ofrepEvaluate(
                key, namespace: namespace, snapshot: servedSnapshot(namespace), context: context, inBatch: false)
            return HoistAPI.json { outcome.write(to: &$0) }
        }
        table.add(.post, "/ofrep/v1/evaluate/flags") { input in
            // `…/flags/` is the single-flag route with an empty key (the trailing slash was trimmed).
            if input.request.uri.path.hasSuffix("/") { throw OFREPError.flagKeyMissing }
            let context = try await ofrepContext(input)
            let namespace = ofrepNamespace(input.request)
            let snapshot = servedSnapshot(namespace)
            var headers: HTTPFields = [.contentType: "application/json"]
            if let snapshot,
                let etag = OFREPBulkETag.make(revision: snapshot.etag, namespaceKey: namespace, context: context)
            {
                headers[.eTag] = etag
                if OFREPBulkETag.matches(ifNoneMatch: input.request.headers[.ifNoneMatch], etag: etag) {
                    return Response(status: .notModified, headers: headers)
                }
            }
            let keys = OFREP.requestedFlagKeys(context) ?? snapshot.map { OFREP.defaultBulkFlagKeys($0.evaluation) } ?? []
            var outcomes: [OFREPOutcome] = []
            outcomes.reserveCapacity(keys.count)
            for key in keys {
                outcomes.append(
                    try ofrepEvaluate(key, namespace: namespace, snapshot: snapshot, context: context, inBatch: true))
            }
            var w = JSONWriter(capacity: 32 + 96 * outcomes.count)
            w.raw("{\"flags\":")
            w.array(outcomes) { w, outcome in outcome.write(to: &w) }
            w.raw("}")
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: w.bytes)))
        }
    }

    enum OFREPOutcome {
        case variant(VariantEvaluation)
        case boolean(BooleanEvaluation)

        func write(to w: inout JSONWriter) {
            switch self {
            case .variant(let result): w.ofrepFlag(result)
            case .boolean(let result): w.ofrepFlag(result)
            }
        }
    }

    /// Evaluates one flag by its type; errors become OFREP errors naming the flag.
    func ofrepEvaluate(
        _ key: String, namespace: String, snapshot: NamespaceSnapshot?, context: [String: String], inBatch: Bool
    ) throws(OFREPError) -> OFREPOutcome {
        guard let snapshot, let type = snapshot.evaluation.flagType(forKey: key) else {
            throw .flagNotFound(key)
        }
        let entityId = OFREP.entityId(context)
        do {
            switch type {
            case .variant:
                return .variant(
                    try evaluateVariant(
                        snapshot.evaluation, namespace: namespace, flagKey: key, entityId: entityId, context: context,
                        inBatch: inBatch))
            case .boolean:
                return .boolean(
                    try evaluateBoolean(
                        snapshot.evaluation, namespace: namespace, flagKey: key, entityId: entityId, context: context,
                        inBatch: inBatch))
            }
        } catch {
            throw OFREPError(error, key: key)
        }
    }

    /// `X-Flipt-Namespace`, else `default`.
    func ofrepNamespace(_ request: Request) -> String {
        guard let value = request.headers[HoistAPI.fliptNamespaceHeader], !value.isEmpty else { return Namespace.defaultKey }
        return value
    }

    /// The request's evaluation context; unreadable input is a 400 `INVALID_CONTEXT` without a key.
    func ofrepContext(_ input: RouteInput) async throws(OFREPError) -> [String: String] {
        let buffer: ByteBuffer
        do {
            buffer = try await input.request.body.collect(upTo: maximumBodyBytes)
        } catch {
            throw OFREPError(key: "", kind: .invalid, details: "request body too large")
        }
        do {
            return try buffer.withUnsafeReadableBytes { bytes in try OFREPRequestDecoder.context(bytes) }
        } catch let error as HoistError {
            throw OFREPError(key: "", kind: .invalid, details: error.message)
        } catch {
            throw OFREPError(key: "", kind: .invalid, details: "\(error)")
        }
    }
}
