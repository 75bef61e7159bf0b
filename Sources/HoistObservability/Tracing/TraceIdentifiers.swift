public import ServiceContextModule

/// A 128-bit W3C trace id.
public struct TraceID: Sendable, Hashable {
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    public var isValid: Bool { high != 0 || low != 0 }

    /// 32 lower-case hex digits.
    public var hex: String { TraceHex.encode(high) + TraceHex.encode(low) }

    /// Parses 32 hex digits, or 16 (B3/Jaeger 64-bit ids, left-padded with zeros).
    public init?(hex: some StringProtocol) {
        let s = Array(hex.utf8)
        switch s.count {
        case 32:
            guard let h = TraceHex.decode(s[0..<16]), let l = TraceHex.decode(s[16..<32]) else { return nil }
            self.init(high: h, low: l)
        case 1...16:
            guard let l = TraceHex.decode(s[...]) else { return nil }
            self.init(high: 0, low: l)
        case 17...31:
            // Jaeger drops leading zeros; anything between 16 and 32 digits is left-padded.
            let split = s.count - 16
            guard let h = TraceHex.decode(s[0..<split]), let l = TraceHex.decode(s[split...]) else { return nil }
            self.init(high: h, low: l)
        default:
            return nil
        }
        guard isValid else { return nil }
    }

    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> TraceID {
        var id = TraceID(high: generator.next(), low: generator.next())
        if !id.isValid { id.low = 1 }
        return id
    }
}

/// A 64-bit span id.
public struct SpanID: Sendable, Hashable {
    public var value: UInt64

    public init(_ value: UInt64) { self.value = value }

    public var hex: String { TraceHex.encode(value) }

    public init?(hex: some StringProtocol) {
        let s = Array(hex.utf8)
        guard (1...16).contains(s.count), let v = TraceHex.decode(s[...]), v != 0 else { return nil }
        self.value = v
    }

    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> SpanID {
        let v = generator.next() as UInt64
        return SpanID(v == 0 ? 1 : v)
    }
}

/// The identity of a span as it travels in a `ServiceContext` (local) or in headers (remote).
public struct HoistSpanContext: Sendable, Hashable {
    public var traceID: TraceID
    public var spanID: SpanID
    /// W3C `sampled` flag (B3 `1`, Jaeger flag bit 0).
    public var sampled: Bool
    /// W3C `tracestate`, passed through unchanged.
    public var traceState: String?
    /// True when it came from an incoming request's headers.
    public var isRemote: Bool

    public init(traceID: TraceID, spanID: SpanID, sampled: Bool, traceState: String? = nil, isRemote: Bool = false) {
        self.traceID = traceID
        self.spanID = spanID
        self.sampled = sampled
        self.traceState = traceState
        self.isRemote = isRemote
    }
}

enum HoistSpanContextKey: ServiceContextKey {
    typealias Value = HoistSpanContext
    static var nameOverride: String? { "hoist.span-context" }
}

enum HoistBaggageKey: ServiceContextKey {
    typealias Value = String
    static var nameOverride: String? { "hoist.baggage" }
}

extension ServiceContext {
    /// The current (or extracted remote) span's identity; read by logs and exemplars.
    public var hoistSpanContext: HoistSpanContext? {
        get { self[HoistSpanContextKey.self] }
        set { self[HoistSpanContextKey.self] = newValue }
    }

    /// The W3C `baggage` header value received, forwarded as is.
    public var hoistBaggage: String? {
        get { self[HoistBaggageKey.self] }
        set { self[HoistBaggageKey.self] = newValue }
    }
}

enum TraceHex {
    private static let digits = Array("0123456789abcdef".utf8)

    static func encode(_ value: UInt64) -> String {
        String(unsafeUninitializedCapacity: 16) { buffer in
            for i in 0..<16 {
                buffer[i] = digits[Int((value >> UInt64((15 - i) * 4)) & 0xF)]
            }
            return 16
        }
    }

    static func decode(_ bytes: ArraySlice<UInt8>) -> UInt64? {
        guard !bytes.isEmpty, bytes.count <= 16 else { return nil }
        var v: UInt64 = 0
        for b in bytes {
            let d: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = b - UInt8(ascii: "A") + 10
            default: return nil
            }
            v = v << 4 | UInt64(d)
        }
        return v
    }
}
