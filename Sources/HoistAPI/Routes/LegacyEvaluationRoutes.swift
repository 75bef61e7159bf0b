import HoistCore
import HoistEngine
import HoistStorage
import Hummingbird

extension HoistAPI {
    /// Deprecated v1 evaluation: `/api/v1/evaluate`, `/api/v1/batch-evaluate` and their namespaced forms.
    func addLegacyEvaluationRoutes(to table: inout RouteTable) {
        for prefix in ["/api/v1", "/api/v1/namespaces/{namespace_key}"] {
            table.add(.post, prefix + "/evaluate") { input in
                let started = ContinuousClock.now
                var request = try await evaluationRequest(input)
                let pathNamespace = input.parameters["namespace_key"]
                if !pathNamespace.isEmpty { request.namespaceKey = pathNamespace }
                try Validation.requireFields([("flagKey", request.flagKey), ("entityId", request.entityId)])
                let requestId = request.requestId.isEmpty ? HoistAPI.newRequestId() : request.requestId
                let result = try evaluateVariant(
                    snapshot(request.effectiveNamespace, flagKey: request.flagKey), namespace: request.effectiveNamespace,
                    flagKey: request.flagKey, entityId: request.entityId, context: request.context, requestId: requestId)
                return HoistAPI.json {
                    $0.legacyResponse(
                        result, request: request, requestId: requestId,
                        durationMillis: HoistAPI.millis(since: started), timestamp: HoistAPI.now())
                }
            }
            table.add(.post, prefix + "/batch-evaluate") { input in
                try await legacyBatch(input)
            }
        }
    }

    func legacyBatch(_ input: RouteInput) async throws -> Response {
        let started = ContinuousClock.now
        let batch = try await batchRequest(input)
        var namespace = input.parameters["namespace_key"]
        if namespace.isEmpty { namespace = batch.namespaceKey }
        if namespace.isEmpty { namespace = Namespace.defaultKey }
        let excludeNotFound = batch.excludeNotFound
        let requestId = batch.requestId.isEmpty ? HoistAPI.newRequestId() : batch.requestId
        var requests: [EvaluationRequest] = []
        for var request in batch.requests {
            if request.namespaceKey.isEmpty {
                request.namespaceKey = namespace
            } else if request.namespaceKey != namespace {
                throw HoistError.invalidField("namespace_key", "must be the same for all requests if specified")
            }
            requests.append(request)
        }
        var results: [(VariantEvaluation, EvaluationRequest)] = []
        for request in requests {
            do {
                let result = try evaluateVariant(
                    snapshot(namespace, flagKey: request.flagKey), namespace: namespace,
                    flagKey: request.flagKey, entityId: request.entityId, context: request.context,
                    requestId: requestId, inBatch: true)
                results.append((result, request))
            } catch let error as HoistError where error.kind == .notFound && excludeNotFound {
                continue
            }
        }
        let duration = HoistAPI.millis(since: started)
        let timestamp = HoistAPI.now()
        return HoistAPI.json { w in
            w.raw("{\"requestId\":")
            w.string(requestId)
            w.raw(",\"responses\":")
            w.array(results) { w, pair in
                w.legacyResponse(pair.0, request: pair.1, requestId: "", durationMillis: 0, timestamp: timestamp)
            }
            w.raw(",\"requestDurationMillis\":")
            w.double(duration)
            w.raw("}")
        }
    }
}
