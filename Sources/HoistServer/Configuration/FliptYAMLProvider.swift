import Configuration
import Yams

/// A parsed configuration file value, detached from the YAML library (and `Sendable`).
public indirect enum FliptConfigNode: Sendable, Equatable {
    /// `key:` with no value, `~` or `null`: treated as "not set".
    case null
    /// Any scalar, as written (booleans and numbers are still strings here).
    case scalar(String)
    case sequence([FliptConfigNode])
    /// Keys are lower-cased, as Viper does.
    case mapping([String: FliptConfigNode])
}

/// The configuration file as a swift-configuration ``ConfigProvider``.
///
/// Why not `FileProvider<YAMLSnapshot>`: swift-configuration's `YAMLSnapshot` (1.4.0)
/// * rejects the whole file when a list holds mappings (`audit.sinks.webhook.templates` in a valid
///   Flipt config), while unknown or not-yet-supported sections must be tolerated;
/// * cannot enumerate the keys below a path, which Flipt's maps (`tracing.otlp.headers`) need;
/// * is case-sensitive, while Flipt (Viper) lower-cases every key of the file.
/// So this small provider parses the file with Yams (the library `YAMLSnapshot` uses too), keeps
/// the whole tree, and answers the same `value(forKey:type:)` lookups for the ``ConfigReader``.
/// Keys are looked up lower-cased; `null` values count as unset.
public struct FliptYAMLProvider: Sendable {
    public let providerName: String
    /// The file's top-level mapping (lower-cased keys).
    public let root: [String: FliptConfigNode]

    /// Parses YAML (or JSON, which YAML accepts). An empty document is an empty configuration.
    public init(yaml: String, providerName: String = "FliptYAMLProvider") throws {
        self.providerName = providerName
        let parsed: Node?
        do {
            parsed = try Yams.compose(yaml: yaml)
        } catch {
            throw ConfigurationError(key: nil, "\(providerName): invalid YAML: \(error)")
        }
        guard let parsed else {
            self.root = [:]
            return
        }
        switch Self.convert(parsed) {
        case .mapping(let mapping): self.root = mapping
        case .null: self.root = [:]
        default: throw ConfigurationError(key: nil, "\(providerName): top-level YAML value is not a mapping")
        }
    }

    /// Creates a provider from an already-built tree (tests, programmatic configuration).
    public init(root: [String: FliptConfigNode], providerName: String = "FliptYAMLProvider") {
        self.root = root
        self.providerName = providerName
    }

    /// The node at `path` (compared lower-cased), or `nil` when absent.
    public func node(at path: [String]) -> FliptConfigNode? {
        var current = FliptConfigNode.mapping(root)
        for component in path {
            guard case .mapping(let mapping) = current, let next = mapping[component.lowercased()] else {
                return nil
            }
            current = next
        }
        return current
    }

    private static func convert(_ node: Node) -> FliptConfigNode {
        switch node {
        case .scalar(let scalar):
            // YAML core-schema null: a plain (unquoted) `~`, `null`, `Null`, `NULL` or nothing.
            let isNull = scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
            return isNull ? .null : .scalar(scalar.string)
        case .sequence(let sequence):
            return .sequence(sequence.map(convert))
        case .mapping(let mapping):
            var result: [String: FliptConfigNode] = [:]
            var merged: [FliptConfigNode] = []
            for (key, value) in mapping {
                guard let name = key.string else { continue }
                if name == "<<" {  // YAML merge key (`<<: *base`), as yaml.v3 applies it
                    let node = convert(value)
                    if case .sequence(let items) = node { merged += items } else { merged.append(node) }
                    continue
                }
                result[name.lowercased()] = convert(value)
            }
            for case .mapping(let base) in merged {
                result.merge(base) { explicit, _ in explicit }
            }
            return .mapping(result)
        case .alias:
            return .null
        }
    }
}

extension FliptYAMLProvider: ConfigSnapshot {
    public func value(forKey key: AbsoluteConfigKey, type: ConfigType) throws -> LookupResult {
        let encodedKey = key.components.joined(separator: ".")
        guard let node = node(at: key.components), node != .null else {
            return LookupResult(encodedKey: encodedKey, value: nil)
        }
        func mismatch() -> ConfigurationError {
            ConfigurationError(key: encodedKey, "cannot be read as \(type.rawValue)")
        }
        let content: ConfigContent
        switch (node, type) {
        case (.scalar(let string), .string):
            content = .string(string)
        case (.scalar(let string), .int):
            guard let int = Int(string) else { throw mismatch() }
            content = .int(int)
        case (.scalar(let string), .double):
            guard let double = Double(string) else { throw mismatch() }
            content = .double(double)
        case (.scalar(let string), .bool):
            guard let bool = GoParse.bool(string) else { throw mismatch() }
            content = .bool(bool)
        case (.sequence(let items), .stringArray):
            content = .stringArray(
                try items.map {
                    guard case .scalar(let string) = $0 else { throw mismatch() }
                    return string
                }
            )
        default:
            throw mismatch()
        }
        return LookupResult(encodedKey: encodedKey, value: ConfigValue(content, isSecret: false))
    }
}

extension FliptYAMLProvider: ConfigProvider {
    public func fetchValue(forKey key: AbsoluteConfigKey, type: ConfigType) async throws -> LookupResult {
        try value(forKey: key, type: type)
    }

    // swift-configuration is built with NonisolatedNonsendingByDefault.
    nonisolated(nonsending) public func watchValue<Return: ~Copyable>(
        forKey key: AbsoluteConfigKey,
        type: ConfigType,
        updatesHandler: nonisolated(nonsending) (
            _ updates: ConfigUpdatesAsyncSequence<Result<LookupResult, any Error>, Never>
        ) async throws -> Return
    ) async throws -> Return {
        try await watchValueFromValue(forKey: key, type: type, updatesHandler: updatesHandler)
    }

    public func snapshot() -> any ConfigSnapshot { self }

    nonisolated(nonsending) public func watchSnapshot<Return: ~Copyable>(
        updatesHandler: nonisolated(nonsending) (_ updates: ConfigUpdatesAsyncSequence<any ConfigSnapshot, Never>)
            async throws -> Return
    ) async throws -> Return {
        try await watchSnapshotFromSnapshot(updatesHandler: updatesHandler)
    }
}
