/// The `version` of an import document (spec §6.2): `1.0` … `1.4`, read leniently (`1`, `1.2.0`).
public struct DocumentVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var minor: Int

    public static let v1_0 = DocumentVersion(minor: 0)
    public static let v1_1 = DocumentVersion(minor: 1)
    public static let v1_2 = DocumentVersion(minor: 2)
    public static let v1_3 = DocumentVersion(minor: 3)
    public static let v1_4 = DocumentVersion(minor: 4)
    /// What the exporter writes and what a missing `version` means.
    public static let latest = v1_4

    public init(minor: Int) { self.minor = minor }

    /// nil for anything outside 1.0…1.4.
    public init?(parsing text: String) {
        let trimmed = text.hasPrefix("v") ? String(text.dropFirst()) : text
        let parts = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) }),
              let major = Int(parts[0]), major == 1
        else { return nil }
        let minor = parts.count > 1 ? Int(parts[1]) : 0
        guard let minor, (0...Self.latest.minor).contains(minor) else { return nil }
        if parts.count == 3 && Int(parts[2]) == nil { return nil }
        self.minor = minor
    }

    public var description: String { "1.\(minor)" }

    public static func < (lhs: DocumentVersion, rhs: DocumentVersion) -> Bool { lhs.minor < rhs.minor }
}
