import HoistCore
import HoistObservability
import Hummingbird

extension HoistAPI {
    /// Flipt's `GET /internal/v1/analytics/namespaces/{namespaceKey}/flags/{flagKey}?from=…&to=…`
    /// → `{"timestamps":["2024-01-01T10:00:00Z",…],"values":[3,…]}`: evaluations per bucket (1, 5, 15
    /// or 30 minutes by the range's length), from ``analyticsSource``. 404 "analytics is not
    /// enabled" without a source; 400 for a missing or unparsable `from`/`to`.
    func addAnalyticsRoutes(to table: inout RouteTable) {
        table.add(.get, "/internal/v1/analytics/namespaces/{namespaceKey}/flags/{flagKey}") { input in
            guard let source = analyticsSource else { throw HoistError.notFound("analytics is not enabled") }
            let q = query(input)
            let request = try FlagEvaluationCountQuery(
                namespaceKey: input.parameters["namespaceKey"], flagKey: input.parameters["flagKey"],
                from: q.value("from"), to: q.value("to"))
            let counts: FlagEvaluationCounts
            do {
                counts = try await source.flagEvaluationCounts(request)
            } catch let error as HoistError {
                throw error
            } catch {
                throw HoistError(.internal, "reading evaluation counts: \(error)")
            }
            return HoistAPI.json { w in
                w.raw("{")
                w.field("timestamps", first: true)
                w.array(counts.timestamps) { $0.string($1) }
                w.field("values")
                w.array(counts.values) { $0.float($1) }
                w.raw("}")
            }
        }
    }
}
