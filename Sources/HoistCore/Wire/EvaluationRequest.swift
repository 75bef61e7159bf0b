/// One evaluation request (`flipt.evaluation.EvaluationRequest`, also the legacy `flipt.EvaluationRequest`).
public struct EvaluationRequest: Sendable, Hashable {
    public var requestId: String
    /// As sent; empty means `default`.
    public var namespaceKey: String
    public var flagKey: String
    public var entityId: String
    public var context: [String: String]

    public init(requestId: String = "", namespaceKey: String = "", flagKey: String = "", entityId: String = "",
                context: [String: String] = [:]) {
        self.requestId = requestId
        self.namespaceKey = namespaceKey
        self.flagKey = flagKey
        self.entityId = entityId
        self.context = context
    }

    public var effectiveNamespace: String { namespaceKey.isEmpty ? Namespace.defaultKey : namespaceKey }
}

/// A batch of evaluation requests: `/evaluate/v1/batch` and the legacy `/api/v1/batch-evaluate`.
public struct BatchEvaluationRequest: Sendable, Hashable {
    public var requestId: String = ""
    public var requests: [EvaluationRequest] = []
    /// Legacy batch only.
    public var namespaceKey: String = ""
    /// Legacy batch only.
    public var excludeNotFound = false

    public init() {}
}

/// A random UUID v4 in lower-case text, as Flipt generates request ids.
public enum RequestID {
    public static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        var high = generator.next() as UInt64
        var low = generator.next() as UInt64
        high = (high & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000
        low = (low & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        return String(unsafeUninitializedCapacity: 36) { buffer in
            var i = 0
            func put(_ value: UInt64, nibbles: Int, into buffer: UnsafeMutableBufferPointer<UInt8>) {
                for n in stride(from: nibbles - 1, through: 0, by: -1) {
                    buffer[i] = hex[Int((value >> UInt64(n * 4)) & 0xF)]
                    i += 1
                }
            }
            put(high >> 32, nibbles: 8, into: buffer)
            buffer[i] = UInt8(ascii: "-"); i += 1
            put((high >> 16) & 0xFFFF, nibbles: 4, into: buffer)
            buffer[i] = UInt8(ascii: "-"); i += 1
            put(high & 0xFFFF, nibbles: 4, into: buffer)
            buffer[i] = UInt8(ascii: "-"); i += 1
            put(low >> 48, nibbles: 4, into: buffer)
            buffer[i] = UInt8(ascii: "-"); i += 1
            put(low & 0xFFFF_FFFF_FFFF, nibbles: 12, into: buffer)
            return 36
        }
    }
}
