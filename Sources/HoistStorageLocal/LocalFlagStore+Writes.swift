public import HoistCore
import HoistStorage

/// Every management write on declarative storage answers Flipt's read-only message
/// (`internal/storage/unmodifiable/store.go`). Flipt maps it to 500; Hoist answers 400
/// (`InvalidArgument`), since the request, not the server, is at fault.
extension LocalFlagStore {
    public static let readOnlyError = HoistError.invalid("modification is not allowed in read-only mode")

    public func createNamespace(_ request: CreateNamespaceRequest) async throws -> Namespace { throw Self.readOnlyError }
    public func updateNamespace(_ request: UpdateNamespaceRequest) async throws -> Namespace { throw Self.readOnlyError }
    public func deleteNamespace(key: String, force: Bool) async throws { throw Self.readOnlyError }

    public func createFlag(_ request: CreateFlagRequest) async throws -> Flag { throw Self.readOnlyError }
    public func updateFlag(_ request: UpdateFlagRequest) async throws -> Flag { throw Self.readOnlyError }
    public func deleteFlag(namespaceKey: String, key: String) async throws { throw Self.readOnlyError }

    public func createVariant(_ request: CreateVariantRequest) async throws -> Variant { throw Self.readOnlyError }
    public func updateVariant(_ request: UpdateVariantRequest) async throws -> Variant { throw Self.readOnlyError }
    public func deleteVariant(namespaceKey: String, flagKey: String, id: String) async throws { throw Self.readOnlyError }

    public func createSegment(_ request: CreateSegmentRequest) async throws -> Segment { throw Self.readOnlyError }
    public func updateSegment(_ request: UpdateSegmentRequest) async throws -> Segment { throw Self.readOnlyError }
    public func deleteSegment(namespaceKey: String, key: String) async throws { throw Self.readOnlyError }

    public func createConstraint(_ request: ConstraintRequest) async throws -> Constraint { throw Self.readOnlyError }
    public func updateConstraint(_ request: ConstraintRequest) async throws -> Constraint { throw Self.readOnlyError }
    public func deleteConstraint(namespaceKey: String, segmentKey: String, id: String) async throws {
        throw Self.readOnlyError
    }

    public func createRule(_ request: RuleRequest) async throws -> Rule { throw Self.readOnlyError }
    public func updateRule(_ request: RuleRequest) async throws -> Rule { throw Self.readOnlyError }
    public func deleteRule(namespaceKey: String, flagKey: String, id: String) async throws { throw Self.readOnlyError }
    public func orderRules(_ request: OrderRequest) async throws { throw Self.readOnlyError }

    public func createDistribution(_ request: DistributionRequest) async throws -> Distribution {
        throw Self.readOnlyError
    }
    public func updateDistribution(_ request: DistributionRequest) async throws -> Distribution {
        throw Self.readOnlyError
    }
    public func deleteDistribution(
        namespaceKey: String, flagKey: String, ruleId: String, id: String, variantId: String
    ) async throws { throw Self.readOnlyError }

    public func createRollout(_ request: RolloutRequest) async throws -> Rollout { throw Self.readOnlyError }
    public func updateRollout(_ request: RolloutRequest) async throws -> Rollout { throw Self.readOnlyError }
    public func deleteRollout(namespaceKey: String, flagKey: String, id: String) async throws { throw Self.readOnlyError }
    public func orderRollouts(_ request: OrderRequest) async throws { throw Self.readOnlyError }
}
