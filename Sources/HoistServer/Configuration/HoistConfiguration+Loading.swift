import Foundation

extension HoistConfiguration {
    /// Finds, reads and validates the configuration.
    ///
    /// File discovery (first match wins):
    /// 1. `configPath` (`--config`), which must exist — object-storage URLs (`s3://…`) are not
    ///    supported yet;
    /// 2. `<user config dir>/hoist/config.yml` — Hoist's own name, so Hoist and Flipt can coexist;
    /// 3. `<user config dir>/flipt/config.yml` (Flipt);
    /// 4. `/etc/hoist/config.yml`;
    /// 5. `/etc/flipt/config/default.yml` (Flipt on Linux);
    /// 6. none: built-in defaults (the caller should log "no configuration file found, using defaults").
    /// `<user config dir>` is `$XDG_CONFIG_HOME` when absolute, else `$HOME/.config` (Go's
    /// `os.UserConfigDir`), read from `environment`.
    ///
    /// Then environment variables (`FLIPT_…`, see ``FliptConfigReader``) override the file, which
    /// overrides the defaults.
    ///
    /// - Returns: the configuration and the path of the file used (`nil` for defaults).
    /// - Throws: ``ConfigurationError`` (missing explicit file, unreadable/invalid YAML, unsupported
    ///   file type, `invalid version`, or a bad value — named by key).
    public static func load(
        configPath: String?,
        environment: [String: String]
    ) throws -> (HoistConfiguration, source: String?) {
        try load(configPath: configPath, environment: environment, searchPaths: searchPaths(environment: environment))
    }

    /// ``load(configPath:environment:)`` with an explicit discovery list (tests).
    public static func load(
        configPath: String?,
        environment: [String: String],
        searchPaths: [String]
    ) throws -> (HoistConfiguration, source: String?) {
        let source: String?
        if let configPath, !configPath.isEmpty {
            if let schemeEnd = configPath.range(of: "://") {
                let scheme = configPath[..<schemeEnd.lowerBound]
                throw ConfigurationError(
                    key: nil, "loading configuration from \(scheme) URLs is not supported yet: \(configPath)")
            }
            guard isRegularFile(configPath) else {
                throw ConfigurationError(key: nil, "configuration file not found: \(configPath)")
            }
            source = configPath
        } else {
            source = searchPaths.first(where: isRegularFile)
        }
        let file = try source.map(readFile(at:))
        let configuration = try HoistConfiguration(reader: FliptConfigReader(file: file, environment: environment))
        return (configuration, source)
    }

    /// The discovery list of ``load(configPath:environment:)`` (steps 2–5).
    public static func searchPaths(environment: [String: String]) -> [String] {
        var paths: [String] = []
        if let userDirectory = userConfigDirectory(environment: environment) {
            paths.append(userDirectory + "/hoist/config.yml")
            paths.append(userDirectory + "/flipt/config.yml")
        }
        paths.append("/etc/hoist/config.yml")
        paths.append("/etc/flipt/config/default.yml")
        return paths
    }

    /// `$XDG_CONFIG_HOME` if absolute, else `$HOME/.config`, else `nil` (Go's `os.UserConfigDir`).
    public static func userConfigDirectory(environment: [String: String]) -> String? {
        if let configHome = environment["XDG_CONFIG_HOME"], configHome.hasPrefix("/") {
            return configHome.hasSuffix("/") ? String(configHome.dropLast()) : configHome
        }
        if let home = environment["HOME"], !home.isEmpty {
            return (home.hasSuffix("/") ? String(home.dropLast()) : home) + "/.config"
        }
        return nil
    }

    /// Extensions Viper would accept but Hoist cannot parse. Everything else is read as YAML
    /// (which also covers `.json`).
    static let unsupportedExtensions: Set<String> = [
        "toml", "hcl", "tfvars", "ini", "properties", "props", "prop", "env", "dotenv",
    ]

    /// Reads and parses one configuration file.
    public static func readFile(at path: String) throws -> FliptYAMLProvider {
        let fileExtension = URL(fileURLWithPath: path).pathExtension.lowercased()
        if unsupportedExtensions.contains(fileExtension) {
            throw ConfigurationError(
                key: nil, "unsupported config type \"\(fileExtension)\" for \(path): use YAML (.yml/.yaml) or JSON")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigurationError(key: nil, "reading configuration file \(path): \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(key: nil, "reading configuration file \(path): not UTF-8 text")
        }
        return try FliptYAMLProvider(yaml: text, providerName: path)
    }

    private static func isRegularFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }
}
