import Configuration

/// Reads Flipt-style settings with Flipt's precedence and conversion rules.
///
/// Layering is swift-configuration's: a ``ConfigReader`` over
/// 1. `EnvironmentVariablesProvider` (the dictionary passed in, never the process environment)
///    behind a `KeyMappingProvider` that prefixes every key with `flipt`, so key `server.http_port`
///    is looked up as `FLIPT_SERVER_HTTP_PORT` (upper-cased, `.` → `_`);
/// 2. ``FliptYAMLProvider`` for the file (if any).
/// Defaults are the callers' (each section documents its own).
///
/// On top of the raw strings this type applies Flipt's rules, which swift-configuration's typed
/// getters don't express (they fall back to the default on a bad value instead of failing, and
/// know neither Go durations nor `${NAME}`):
/// * environment variables set to the empty string count as unset (Viper's default);
/// * a value that is exactly `${NAME}` becomes env `NAME` (empty if unset), before conversion;
/// * booleans as Go's `strconv.ParseBool`, integers in decimal; an empty string reads as
///   `false`/`0` (mapstructure's weak typing);
/// * durations as Go (`1h30m`, `500ms`) or integer nanoseconds;
/// * lists: a YAML sequence, or a string split on whitespace (`FLIPT_TRACING_PROPAGATORS="a b"`);
/// * maps: the file's mapping merged with every `FLIPT_<PATH>_<KEY>` variable (key lower-cased).
/// Every invalid value throws ``ConfigurationError`` naming the full key.
public struct FliptConfigReader: Sendable {
    /// The layered swift-configuration reader (environment over file).
    public let reader: ConfigReader
    /// The file layer, used for map enumeration and structure checks.
    public let file: FliptYAMLProvider
    /// The environment, empty values removed.
    public let environment: [String: String]
    /// Key prefix of a scoped reader (`"server"`), empty at the root.
    public let prefix: [String]

    /// - Parameters:
    ///   - file: the parsed configuration file, or `nil` for built-in defaults only.
    ///   - environment: the environment variables (tests pass their own).
    public init(file: FliptYAMLProvider?, environment: [String: String]) {
        let environment = environment.filter { !$0.value.isEmpty }
        let file = file ?? FliptYAMLProvider(root: [:], providerName: "defaults")
        let env = EnvironmentVariablesProvider(environmentVariables: environment).prefixKeys(with: "flipt")
        self.reader = ConfigReader(providers: [env, file])
        self.file = file
        self.environment = environment
        self.prefix = []
    }

    private init(base: FliptConfigReader, prefix: [String]) {
        self.reader = base.reader
        self.file = base.file
        self.environment = base.environment
        self.prefix = prefix
    }

    /// A reader whose keys are relative to `key` (`reader.scoped(to: "server").int("http_port", …)`).
    public func scoped(to key: String) -> FliptConfigReader {
        FliptConfigReader(base: self, prefix: components(key))
    }

    /// The Flipt environment variable for a dotted key: `server.http_port` → `FLIPT_SERVER_HTTP_PORT`.
    public static func environmentName(for key: String) -> String {
        "FLIPT_" + String(key.uppercased().map { $0 == "." ? "_" : $0 })
    }

    /// Full dotted path of a key of this reader, as used in error messages.
    public func path(_ key: String) -> String { components(key).joined(separator: ".") }

    private func components(_ key: String) -> [String] {
        prefix + key.split(separator: ".").map { String($0).lowercased() }
    }

    // MARK: - Scalars

    /// The raw string (after `${NAME}` substitution), or `nil` when set nowhere.
    /// Throws when the file has a list or mapping where a single value belongs.
    public func string(_ key: String) throws -> String? {
        let path = components(key)
        if let value = reader.string(forKey: ConfigKey(path)) {
            return GoParse.substitute(value, environment: environment)
        }
        switch file.node(at: path) {
        case .sequence?, .mapping?:
            throw ConfigurationError(key: path.joined(separator: "."), "expected a single value, found a list or map")
        default:
            return nil
        }
    }

    public func string(_ key: String, default defaultValue: String) throws -> String {
        try string(key) ?? defaultValue
    }

    /// A decimal integer, optionally restricted to `range`.
    public func int(_ key: String, default defaultValue: Int, range: ClosedRange<Int>? = nil) throws -> Int {
        guard let raw = try string(key) else { return defaultValue }
        let trimmed = raw.trimmingWhitespace()
        guard let value = trimmed.isEmpty ? 0 : Int(trimmed) else {
            throw ConfigurationError(key: path(key), "invalid integer \"\(raw)\"")
        }
        if let range, !range.contains(value) {
            throw ConfigurationError(
                key: path(key), "\(value) is out of range (\(range.lowerBound)–\(range.upperBound))")
        }
        return value
    }

    /// A floating-point number.
    public func double(_ key: String, default defaultValue: Double) throws -> Double {
        guard let raw = try string(key) else { return defaultValue }
        let trimmed = raw.trimmingWhitespace()
        guard let value = trimmed.isEmpty ? 0 : Double(trimmed), value.isFinite else {
            throw ConfigurationError(key: path(key), "invalid number \"\(raw)\"")
        }
        return value
    }

    /// A boolean, Go `strconv.ParseBool` syntax.
    public func bool(_ key: String, default defaultValue: Bool) throws -> Bool {
        guard let raw = try string(key) else { return defaultValue }
        if raw.isEmpty { return false }
        guard let value = GoParse.bool(raw) else {
            throw ConfigurationError(key: path(key), "invalid boolean \"\(raw)\" (expected true or false)")
        }
        return value
    }

    /// A duration: Go syntax (`15s`, `1h30m`, `1.5h`, `500ms`) or integer nanoseconds.
    public func duration(_ key: String, default defaultValue: Duration) throws -> Duration {
        guard let raw = try string(key) else { return defaultValue }
        guard let value = GoParse.duration(raw.trimmingWhitespace()) else {
            throw ConfigurationError(
                key: path(key), "invalid duration \"\(raw)\" (expected e.g. 15s, 2m, 1h30m or nanoseconds)")
        }
        return value
    }

    // MARK: - Collections

    /// A list: YAML sequence, or a string (file or environment) split on whitespace.
    /// `${NAME}` applies to each element (and to a whole string before splitting).
    public func stringList(_ key: String, default defaultValue: [String]) throws -> [String] {
        let path = components(key)
        if let value = reader.string(forKey: ConfigKey(path)) {
            return GoParse.substitute(value, environment: environment).splitOnWhitespace()
        }
        switch file.node(at: path) {
        case .sequence(let items)?:
            return try items.map { item in
                guard case .scalar(let string) = item else {
                    throw ConfigurationError(key: path.joined(separator: "."), "expected a list of values")
                }
                return GoParse.substitute(string, environment: environment)
            }
        case .mapping?:
            throw ConfigurationError(key: path.joined(separator: "."), "expected a list, found a map")
        default:
            return defaultValue
        }
    }

    /// A string→string map: the file's mapping under `key`, then every environment variable
    /// `FLIPT_<KEY PATH>_<NAME>` adds or replaces entry `<name>` (lower-cased).
    /// Example: `FLIPT_TRACING_OTLP_HEADERS_AUTHORIZATION=Bearer x` → `["authorization": "Bearer x"]`.
    public func stringMap(_ key: String) throws -> [String: String] {
        let path = components(key)
        var result: [String: String] = [:]
        switch file.node(at: path) {
        case .mapping(let mapping)?:
            for (name, node) in mapping {
                switch node {
                case .scalar(let value): result[name] = GoParse.substitute(value, environment: environment)
                case .null: result[name] = ""
                default:
                    throw ConfigurationError(key: (path + [name]).joined(separator: "."), "expected a single value")
                }
            }
        case .sequence?, .scalar?:
            throw ConfigurationError(key: path.joined(separator: "."), "expected a map")
        default:
            break
        }
        let envPrefix = Self.environmentName(for: path.joined(separator: ".")) + "_"
        for (name, value) in environment where name.hasPrefix(envPrefix) && name.count > envPrefix.count {
            result[String(name.dropFirst(envPrefix.count)).lowercased()] =
                GoParse.substitute(value, environment: environment)
        }
        return result
    }

    /// Whether the key is set in the file or the environment.
    public func isSet(_ key: String) -> Bool {
        let path = components(key)
        if environment[Self.environmentName(for: path.joined(separator: "."))] != nil { return true }
        if let node = file.node(at: path), node != .null { return true }
        return false
    }
}

extension String {
    func trimmingWhitespace() -> String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }

    /// Go's `strings.Fields`.
    func splitOnWhitespace() -> [String] {
        split(whereSeparator: { $0.isWhitespace }).map(String.init)
    }
}
