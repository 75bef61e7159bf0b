import HoistCore
import HoistObservability

/// The gRPC method Flipt's grpc-gateway calls for each REST route, so REST traffic shows up in
/// `grpc_server_*{grpc_service,grpc_method}` as it does on Flipt (spec observability §1.5).
///
/// Routes are matched after normalisation: the `/api/v1/namespaces/{…}` or `/api/v1` prefix is
/// dropped from management and legacy evaluation routes, and every `{parameter}` becomes `*`.
/// Routes with no gRPC counterpart (`/metrics`, `/health/live`, unknown paths) resolve to nil.
enum FliptGRPCMethods {
    static let flipt = "flipt.Flipt"
    static let evaluation = "flipt.evaluation.EvaluationService"
    static let data = "flipt.evaluation.DataService"
    static let ofrep = "flipt.ofrep.OFREPService"

    /// `"METHOD normalised-path"` → (service, method).
    static let table: [String: GRPCMethod] = {
        var table: [String: GRPCMethod] = [:]
        func add(_ key: String, _ service: String, _ method: String) {
            table[key] = GRPCMethod(service: service, method: method)
        }
        add("GET namespaces", flipt, "ListNamespaces")
        add("POST namespaces", flipt, "CreateNamespace")
        add("GET namespaces/*", flipt, "GetNamespace")
        add("PUT namespaces/*", flipt, "UpdateNamespace")
        add("DELETE namespaces/*", flipt, "DeleteNamespace")
        let resources: [(path: String, singular: String, plural: String)] = [
            ("flags", "Flag", "Flags"), ("segments", "Segment", "Segments"),
            ("flags/*/rules", "Rule", "Rules"), ("flags/*/rollouts", "Rollout", "Rollouts"),
        ]
        for resource in resources {
            add("GET \(resource.path)", flipt, "List\(resource.plural)")
            add("POST \(resource.path)", flipt, "Create\(resource.singular)")
            add("GET \(resource.path)/*", flipt, "Get\(resource.singular)")
            add("PUT \(resource.path)/*", flipt, "Update\(resource.singular)")
            add("DELETE \(resource.path)/*", flipt, "Delete\(resource.singular)")
        }
        add("PUT flags/*/rules/order", flipt, "OrderRules")
        add("PUT flags/*/rollouts/order", flipt, "OrderRollouts")
        let children: [(path: String, name: String)] = [
            ("flags/*/variants", "Variant"), ("segments/*/constraints", "Constraint"),
            ("flags/*/rules/*/distributions", "Distribution"),
        ]
        for child in children {
            add("POST \(child.path)", flipt, "Create\(child.name)")
            add("PUT \(child.path)/*", flipt, "Update\(child.name)")
            add("DELETE \(child.path)/*", flipt, "Delete\(child.name)")
        }
        add("POST evaluate", flipt, "Evaluate")
        add("POST batch-evaluate", flipt, "BatchEvaluate")
        add("POST /evaluate/v1/variant", evaluation, "Variant")
        add("POST /evaluate/v1/boolean", evaluation, "Boolean")
        add("POST /evaluate/v1/batch", evaluation, "Batch")
        add("GET /internal/v1/evaluation/snapshot/namespace/*", data, "EvaluationSnapshotNamespace")
        add("GET /health", "grpc.health.v1.Health", "Check")
        add("GET /internal/v1/analytics/namespaces/*/flags/*", "flipt.analytics.AnalyticsService", "GetFlagEvaluationsCount")
        add("GET /ofrep/v1/configuration", ofrep, "GetProviderConfiguration")
        add("POST /ofrep/v1/evaluate/flags/*", ofrep, "EvaluateFlag")
        add("POST /ofrep/v1/evaluate/flags", ofrep, "EvaluateBulk")
        return table
    }()

    /// Every method of ``table``, in a stable order (service, then method).
    static var allMethods: [GRPCMethod] {
        Set(table.values).sorted { ($0.service, $0.method) < ($1.service, $1.method) }
    }

    /// The gRPC method for an HTTP method (upper-case) and route template, or nil.
    @Sendable static func resolve(method: String, template: String) -> GRPCMethod? {
        table[method + " " + normalise(template)]
    }

    static func normalise(_ template: String) -> String {
        var path = Substring(template)
        if path.hasPrefix("/api/v1/") {
            path = path.dropFirst("/api/v1/".count)
            // A namespaced resource route (not the namespace routes themselves).
            let parts = path.split(separator: "/", omittingEmptySubsequences: false)
            if parts.count > 2, parts[0] == "namespaces", parts[1].hasPrefix("{") {
                path = Substring(parts.dropFirst(2).joined(separator: "/"))
            }
        }
        return path.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("{") ? "*" : String($0) }
            .joined(separator: "/")
    }
}

extension APIError {
    /// The gRPC status of a Flipt error kind, as named in `grpc_code`.
    static func grpcStatus(_ kind: HoistError.Kind) -> GRPCStatusCode {
        GRPCStatusCode(rawValue: grpcCode(kind)) ?? .unknown
    }
}
