public import HoistCore

/// Read side of the management store. Implementations: SQLite (and PostgreSQL later).
///
/// Every method throws `HoistError` with Flipt's message text (`flag "ns/key" not found`, …).
/// Requests arrive already validated (see `HoistCore.Validation`); stores do the existence and
/// uniqueness checks and the cascades of the Flipt v1 spec.
public protocol ReadOnlyFlagStore: Sendable {
    func getNamespace(key: String) async throws -> Namespace
    func listNamespaces(page: PageRequest) async throws -> Page<Namespace>

    func getFlag(namespaceKey: String, key: String) async throws -> Flag
    /// Flags in creation order. Listed flags carry `metadata` `{}` when none is stored (Flipt quirk).
    func listFlags(namespaceKey: String, page: PageRequest) async throws -> Page<Flag>

    func getSegment(namespaceKey: String, key: String) async throws -> Segment
    func listSegments(namespaceKey: String, page: PageRequest) async throws -> Page<Segment>

    func getRule(namespaceKey: String, id: String) async throws -> Rule
    /// Rules sorted by rank.
    func listRules(namespaceKey: String, flagKey: String, page: PageRequest) async throws -> Page<Rule>

    func getRollout(namespaceKey: String, id: String) async throws -> Rollout
    /// Rollouts sorted by rank.
    func listRollouts(namespaceKey: String, flagKey: String, page: PageRequest) async throws -> Page<Rollout>

    /// Everything evaluation needs about one namespace, read in one consistent transaction.
    /// Throws not-found when the namespace does not exist.
    func namespaceState(key: String) async throws -> NamespaceState
    /// Keys of every namespace with its current version string.
    func namespaceVersions() async throws -> [String: String]
    /// Cheap liveness probe of the backing database.
    func ping() async throws
}

/// Write side. Each method runs in one transaction and bumps the namespace version.
public protocol FlagStore: ReadOnlyFlagStore {
    func createNamespace(_ request: CreateNamespaceRequest) async throws -> Namespace
    func updateNamespace(_ request: UpdateNamespaceRequest) async throws -> Namespace
    /// Spec §3.9: 404 when missing; protected / has-flags checks unless `force`.
    func deleteNamespace(key: String, force: Bool) async throws

    func createFlag(_ request: CreateFlagRequest) async throws -> Flag
    func updateFlag(_ request: UpdateFlagRequest) async throws -> Flag
    func deleteFlag(namespaceKey: String, key: String) async throws

    func createVariant(_ request: CreateVariantRequest) async throws -> Variant
    func updateVariant(_ request: UpdateVariantRequest) async throws -> Variant
    func deleteVariant(namespaceKey: String, flagKey: String, id: String) async throws

    func createSegment(_ request: CreateSegmentRequest) async throws -> Segment
    func updateSegment(_ request: UpdateSegmentRequest) async throws -> Segment
    func deleteSegment(namespaceKey: String, key: String) async throws

    func createConstraint(_ request: ConstraintRequest) async throws -> Constraint
    func updateConstraint(_ request: ConstraintRequest) async throws -> Constraint
    func deleteConstraint(namespaceKey: String, segmentKey: String, id: String) async throws

    func createRule(_ request: RuleRequest) async throws -> Rule
    func updateRule(_ request: RuleRequest) async throws -> Rule
    func deleteRule(namespaceKey: String, flagKey: String, id: String) async throws
    func orderRules(_ request: OrderRequest) async throws

    func createDistribution(_ request: DistributionRequest) async throws -> Distribution
    func updateDistribution(_ request: DistributionRequest) async throws -> Distribution
    func deleteDistribution(namespaceKey: String, flagKey: String, ruleId: String, id: String, variantId: String)
        async throws

    func createRollout(_ request: RolloutRequest) async throws -> Rollout
    func updateRollout(_ request: RolloutRequest) async throws -> Rollout
    func deleteRollout(namespaceKey: String, flagKey: String, id: String) async throws
    func orderRollouts(_ request: OrderRequest) async throws
}
