import HoistCore
import HoistEngine
import HoistStorage
import Hummingbird

extension HoistAPI {
    /// `POST /evaluate/v1/variant`, `/boolean` and `/batch`.
    func addEvaluationRoutes(to table: inout RouteTable) {
        table.add(.post, "/evaluate/v1/variant") { input in
            let started = ContinuousClock.now
            let request = try await evaluationRequest(input)
            let requestId = request.requestId.isEmpty ? HoistAPI.newRequestId() : request.requestId
            let result = try evaluateVariant(
                snapshot(request.effectiveNamespace, flagKey: request.flagKey), namespace: request.effectiveNamespace,
                flagKey: request.flagKey, entityId: request.entityId, context: request.context, requestId: requestId)
            return HoistAPI.json {
                $0.variantResponse(
                    result, requestId: requestId, durationMillis: HoistAPI.millis(since: started),
                    timestamp: HoistAPI.now())
            }
        }
        table.add(.post, "/evaluate/v1/boolean") { input in
            let started = ContinuousClock.now
            let request = try await evaluationRequest(input)
            let requestId = request.requestId.isEmpty ? HoistAPI.newRequestId() : request.requestId
            let result = try evaluateBoolean(
                snapshot(request.effectiveNamespace, flagKey: request.flagKey), namespace: request.effectiveNamespace,
                flagKey: request.flagKey, entityId: request.entityId, context: request.context, requestId: requestId)
            return HoistAPI.json {
                $0.booleanResponse(
                    result, requestId: requestId, durationMillis: HoistAPI.millis(since: started),
                    timestamp: HoistAPI.now())
            }
        }
        table.add(.post, "/evaluate/v1/batch") { input in
            let started = ContinuousClock.now
            let batch = try await batchRequest(input)
            let requestId = batch.requestId.isEmpty ? HoistAPI.newRequestId() : batch.requestId
            var outcomes: [BatchOutcome] = []
            outcomes.reserveCapacity(batch.requests.count)
            for request in batch.requests {
                outcomes.append(try evaluateInBatch(request, batchRequestId: requestId))
            }
            return batchResponse(outcomes, requestId, started)
        }
    }

    enum BatchOutcome {
        case variant(VariantEvaluation, requestId: String)
        case boolean(BooleanEvaluation, requestId: String)
        case notFound(flagKey: String, namespaceKey: String)
    }

    /// The flag's type picks the evaluation; a missing flag becomes an inline error element.
    func evaluateInBatch(_ request: EvaluationRequest, batchRequestId: String = "") throws -> BatchOutcome {
        guard let snapshot = servedSnapshot(request.effectiveNamespace),
            let type = snapshot.evaluation.flagType(forKey: request.flagKey)
        else { return .notFound(flagKey: request.flagKey, namespaceKey: request.namespaceKey) }
        switch type {
        case .variant:
            return .variant(
                try evaluateVariant(
                    snapshot.evaluation, namespace: request.effectiveNamespace, flagKey: request.flagKey,
                    entityId: request.entityId, context: request.context, requestId: batchRequestId, inBatch: true),
                requestId: request.requestId)
        case .boolean:
            return .boolean(
                try evaluateBoolean(
                    snapshot.evaluation, namespace: request.effectiveNamespace, flagKey: request.flagKey,
                    entityId: request.entityId, context: request.context, requestId: batchRequestId, inBatch: true),
                requestId: request.requestId)
        }
    }

    func batchResponse(_ outcomes: [BatchOutcome], _ requestId: String, _ started: ContinuousClock.Instant) -> Response {
        let duration = HoistAPI.millis(since: started)
        let timestamp = HoistAPI.now()
        return HoistAPI.json { w in
            w.raw("{\"requestId\":")
            w.string(requestId)
            w.raw(",\"responses\":")
            w.array(outcomes) { w, outcome in
                switch outcome {
                case .variant(let r, let id):
                    w.raw("{\"type\":\"VARIANT_EVALUATION_RESPONSE_TYPE\",\"variantResponse\":")
                    w.variantResponse(r, requestId: id, durationMillis: duration, timestamp: timestamp)
                case .boolean(let r, let id):
                    w.raw("{\"type\":\"BOOLEAN_EVALUATION_RESPONSE_TYPE\",\"booleanResponse\":")
                    w.booleanResponse(r, requestId: id, durationMillis: duration, timestamp: timestamp)
                case .notFound(let flagKey, let namespaceKey):
                    w.raw("{\"type\":\"ERROR_EVALUATION_RESPONSE_TYPE\",\"errorResponse\":")
                    w.notFoundErrorResponse(flagKey: flagKey, namespaceKey: namespaceKey)
                }
                w.raw("}")
            }
            w.raw(",\"requestDurationMillis\":")
            w.double(duration)
            w.raw("}")
        }
    }

    /// The namespace's compiled snapshot; a missing namespace reads as a missing flag.
    func snapshot(_ namespaceKey: String, flagKey: String) throws -> EvaluationSnapshot {
        guard let snapshot = servedSnapshot(namespaceKey) else {
            throw HoistError.notFound("flag \"\(namespaceKey)/\(flagKey)\" not found")
        }
        return snapshot.evaluation
    }

    static func newRequestId() -> String { RequestID.random() }

    /// Reads and decodes a single evaluation request without building a JSON tree.
    func evaluationRequest(_ input: RouteInput) async throws -> EvaluationRequest {
        let buffer = try await input.request.body.collect(upTo: maximumBodyBytes)
        return try buffer.withUnsafeReadableBytes { bytes in try EvaluationRequestDecoder.decode(bytes) }
    }

    func batchRequest(_ input: RouteInput) async throws -> BatchEvaluationRequest {
        let buffer = try await input.request.body.collect(upTo: maximumBodyBytes)
        return try buffer.withUnsafeReadableBytes { bytes in try EvaluationRequestDecoder.decodeBatch(bytes) }
    }

    static func millis(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }
}
