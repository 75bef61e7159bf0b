import Foundation
import Testing

@testable import HoistServer

/// A temporary directory holding config fixtures; removed by `cleanup()`.
struct TempDir {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "hoist-config-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes `contents` to `name` (sub-directories created) and returns the full path.
    @discardableResult
    func write(_ name: String, _ contents: String) throws -> String {
        let full = path + "/" + name
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try contents.write(toFile: full, atomically: true, encoding: .utf8)
        return full
    }

    func cleanup() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Base environment for tests: HOME points somewhere harmless so the default DB path resolves.
let testHome = ["HOME": "/home/tester"]

/// Loads configuration from YAML text with `environment` (never the process environment) and no
/// discovery.
func loadYAML(_ yaml: String?, env: [String: String] = [:]) throws -> HoistConfiguration {
    let file = try yaml.map { try FliptYAMLProvider(yaml: $0, providerName: "test.yml") }
    return try HoistConfiguration(reader: FliptConfigReader(file: file, environment: testHome.merging(env) { $1 }))
}

/// The `ConfigurationError` thrown by `body`, or `nil` (recorded as an issue) when it doesn't throw one.
func configError(
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> some Any
) -> ConfigurationError? {
    do {
        _ = try body()
        Issue.record("expected a ConfigurationError", sourceLocation: sourceLocation)
        return nil
    } catch let error as ConfigurationError {
        return error
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
