import Foundation

/// The declarative files under a directory: Flipt's `features.yml` / `features.yaml` and
/// `*.features.yml` / `*.features.yaml`, found recursively (hidden directories such as `.git` are skipped).
public struct DeclarativeDirectory: Sendable {
    /// One file's identity for change detection: size and modification time.
    public struct FileStamp: Sendable, Hashable {
        public var size: UInt64
        public var modified: Double
    }

    /// The root, as configured (`storage.local.path`).
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// Whether `name` is a declarative file name Flipt reads.
    public static func isDeclarativeFile(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower == "features.yml" || lower == "features.yaml" || lower.hasSuffix(".features.yml")
            || lower.hasSuffix(".features.yaml")
    }

    /// Paths of the declarative files relative to the root, sorted, or nil when the root is not a
    /// readable directory.
    public func files() -> [String]? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return nil
        }
        var found: [String] = []
        collect(relative: "", into: &found, depth: 0)
        return found.sorted()
    }

    private func collect(relative: String, into found: inout [String], depth: Int) {
        guard depth < 32 else { return }  // bounded, even with symlink loops
        let absolute = relative.isEmpty ? path : path + "/" + relative
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: absolute) else { return }
        for name in names where !name.hasPrefix(".") {
            let child = relative.isEmpty ? name : relative + "/" + name
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path + "/" + child, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                collect(relative: child, into: &found, depth: depth + 1)
            } else if Self.isDeclarativeFile(name) {
                found.append(child)
            }
        }
    }

    /// Size and modification time of every declarative file; nil when the root is missing.
    public func stamps() -> [String: FileStamp]? {
        guard let files = files() else { return nil }
        var stamps: [String: FileStamp] = [:]
        for file in files {
            let attributes = try? FileManager.default.attributesOfItem(atPath: path + "/" + file)
            let size = (attributes?[.size] as? NSNumber)?.uint64Value ?? 0
            let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            stamps[file] = FileStamp(size: size, modified: modified)
        }
        return stamps
    }

    /// The text of one file (relative path).
    func read(_ file: String) throws -> String {
        try String(contentsOfFile: path + "/" + file, encoding: .utf8)
    }
}
