import Synchronization

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

/// Request ids in UUID v4 text form (lower-case), as Flipt generates them.
///
/// Ids come from a process-wide counter passed through the SplitMix64 finaliser under a 128-bit
/// random seed: unique within the process (the finaliser is a bijection), unpredictable across
/// processes, and without a system call per request.
public enum RequestID {
    static let seed: (UInt64, UInt64) = {
        var generator = SystemRandomNumberGenerator()
        return (generator.next(), generator.next())
    }()
    static let counter = Atomic<UInt64>(0)

    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// 64 well-mixed bits from the same sequence, for cheap sampling decisions (not cryptographic).
    public static func nextRandom() -> UInt64 {
        mix(seed.0 ^ mix(counter.wrappingAdd(1, ordering: .relaxed).oldValue))
    }

    public static func random() -> String {
        let n = counter.wrappingAdd(1, ordering: .relaxed).oldValue
        var high = mix(seed.0 &+ n)
        var low = mix(seed.1 ^ mix(n))
        high = (high & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000
        low = (low & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        return String(unsafeUninitializedCapacity: 36) { buffer in
            var i = 0
            func put(_ value: UInt64, nibbles: Int) {
                for n in stride(from: nibbles - 1, through: 0, by: -1) {
                    let nibble = UInt8((value >> UInt64(n * 4)) & 0xF)
                    buffer[i] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
                    i += 1
                }
            }
            func dash() {
                buffer[i] = UInt8(ascii: "-")
                i += 1
            }
            put(high >> 32, nibbles: 8); dash()
            put((high >> 16) & 0xFFFF, nibbles: 4); dash()
            put(high & 0xFFFF, nibbles: 4); dash()
            put(low >> 48, nibbles: 4); dash()
            put(low & 0xFFFF_FFFF_FFFF, nibbles: 12)
            return 36
        }
    }
}
