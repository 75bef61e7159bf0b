public import HoistCore
import Crypto
import Synchronization

/// One namespace's immutable, compiled state: what every evaluation and snapshot request reads.
public final class NamespaceSnapshot: Sendable {
    public let namespaceKey: String
    /// The store's version string this snapshot was built from.
    public let version: String
    /// Lowercase hex SHA-1 of `version` (Flipt's snapshot ETag); empty when the version is empty.
    public let etag: String
    public let evaluation: EvaluationSnapshot
    /// The source state, kept for client snapshot documents in older formats.
    public let state: NamespaceState
    /// The client snapshot document for current SDK engines (accepting server version ≥ 1.47.0),
    /// encoded on first request and then reused: most namespaces are never fetched by client-side
    /// SDKs, and a large one costs more to encode than to compile.
    public var clientDocument: [UInt8] {
        if let cached = cachedClientDocument.withLock({ $0 }) { return cached }
        let encoded = ClientSnapshotDocument.encode(state: state, acceptServerVersion: .defaultVariant)
        cachedClientDocument.withLock { $0 = encoded }
        return encoded
    }
    let cachedClientDocument = Mutex<[UInt8]?>(nil)
    /// When this snapshot was built.
    public let builtAt: Timestamp

    public init(state: NamespaceState, builtAt: Timestamp) {
        namespaceKey = state.namespaceKey
        version = state.version
        etag = Self.etag(for: state.version)
        evaluation = EvaluationSnapshot(state: state)
        self.state = state
        self.builtAt = builtAt
    }

    public var flagCount: Int { evaluation.flagCount }

    static func etag(for version: String) -> String {
        guard !version.isEmpty else { return "" }
        let digest = Insecure.SHA1.hash(data: Array(version.utf8))
        return digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
