public import Instrumentation

/// One `tracing.propagators` format (`FLIPT_TRACING_PROPAGATORS`, default `tracecontext baggage`).
public enum TracePropagationFormat: String, Sendable, CaseIterable {
    /// W3C `traceparent` / `tracestate`.
    case tracecontext
    /// W3C `baggage` (forwarded unchanged).
    case baggage
    /// B3 single header `b3: {traceId}-{spanId}-{sampled}[-{parentSpanId}]`.
    case b3
    /// B3 multi-header `X-B3-TraceId`, `X-B3-SpanId`, `X-B3-Sampled`, `X-B3-Flags`.
    case b3multi
    /// Jaeger `uber-trace-id: {traceId}:{spanId}:{parentSpanId}:{flags}`.
    case jaeger
}

/// Extracts and injects trace context in the configured formats.
///
/// Like OTel's composite propagator, extraction runs every format in order and a later format that
/// finds a context replaces an earlier one; injection writes every format. The context lives in
/// ``ServiceContextModule/ServiceContext/hoistSpanContext``.
public struct HoistPropagator: Instrument {
    public let formats: [TracePropagationFormat]

    public init(formats: [TracePropagationFormat]) { self.formats = formats }

    public func extract<Carrier, Extract: Extractor>(
        _ carrier: Carrier, into context: inout ServiceContext, using extractor: Extract
    ) where Extract.Carrier == Carrier {
        for format in formats {
            switch format {
            case .baggage:
                if let value = extractor.extract(key: "baggage", from: carrier), !value.isEmpty {
                    context.hoistBaggage = value
                }
            default:
                if let found = Self.extract(format, carrier, extractor) { context.hoistSpanContext = found }
            }
        }
    }

    public func inject<Carrier, Inject: Injector>(
        _ context: ServiceContext, into carrier: inout Carrier, using injector: Inject
    ) where Inject.Carrier == Carrier {
        for format in formats {
            if format == .baggage {
                if let baggage = context.hoistBaggage { injector.inject(baggage, forKey: "baggage", into: &carrier) }
                continue
            }
            guard let span = context.hoistSpanContext else { continue }
            for (key, value) in Self.headers(format, span) { injector.inject(value, forKey: key, into: &carrier) }
        }
    }

    /// The headers `format` writes for `span` (lower-case names).
    public static func headers(_ format: TracePropagationFormat, _ span: HoistSpanContext) -> [(String, String)] {
        let trace = span.traceID.hex
        let id = span.spanID.hex
        switch format {
        case .tracecontext:
            var out = [("traceparent", "00-\(trace)-\(id)-\(span.sampled ? "01" : "00")")]
            if let state = span.traceState, !state.isEmpty { out.append(("tracestate", state)) }
            return out
        case .b3:
            return [("b3", "\(trace)-\(id)-\(span.sampled ? "1" : "0")")]
        case .b3multi:
            return [("x-b3-traceid", trace), ("x-b3-spanid", id), ("x-b3-sampled", span.sampled ? "1" : "0")]
        case .jaeger:
            return [("uber-trace-id", "\(trace):\(id):0:\(span.sampled ? "1" : "0")")]
        case .baggage:
            return []
        }
    }

    static func extract<Carrier, Extract: Extractor>(
        _ format: TracePropagationFormat, _ carrier: Carrier, _ extractor: Extract
    ) -> HoistSpanContext? where Extract.Carrier == Carrier {
        switch format {
        case .tracecontext:
            guard let parent = extractor.extract(key: "traceparent", from: carrier) else { return nil }
            guard var span = parseTraceparent(parent) else { return nil }
            span.traceState = extractor.extract(key: "tracestate", from: carrier)
            return span
        case .b3:
            return extractor.extract(key: "b3", from: carrier).flatMap(parseB3Single)
        case .b3multi:
            guard let trace = extractor.extract(key: "x-b3-traceid", from: carrier).flatMap({ TraceID(hex: $0) }),
                let id = extractor.extract(key: "x-b3-spanid", from: carrier).flatMap({ SpanID(hex: $0) })
            else { return nil }
            let flags = extractor.extract(key: "x-b3-flags", from: carrier)
            let sampled = extractor.extract(key: "x-b3-sampled", from: carrier)
            return HoistSpanContext(
                traceID: trace, spanID: id, sampled: flags == "1" || sampled == "1" || sampled?.lowercased() == "true",
                isRemote: true)
        case .jaeger:
            return extractor.extract(key: "uber-trace-id", from: carrier).flatMap(parseJaeger)
        case .baggage:
            return nil
        }
    }

    /// `00-<32 hex>-<16 hex>-<2 hex flags>`; future versions may append fields.
    public static func parseTraceparent(_ value: String) -> HoistSpanContext? {
        let parts = value.trimmingSpaces().split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[0].count == 2, parts[0] != "ff", parts[1].count == 32, parts[2].count == 16,
            parts[3].count == 2, parts[0] != "00" || parts.count == 4,
            TraceHex.decode(Array(parts[0].utf8)[...]) != nil,
            let trace = TraceID(hex: parts[1]), let id = SpanID(hex: parts[2]),
            let flags = TraceHex.decode(Array(parts[3].utf8)[...])
        else { return nil }
        return HoistSpanContext(traceID: trace, spanID: id, sampled: flags & 1 == 1, isRemote: true)
    }

    /// `{traceId}-{spanId}[-{1|0|d}[-{parentSpanId}]]`; a lone `0`/`1`/`d` carries no ids.
    public static func parseB3Single(_ value: String) -> HoistSpanContext? {
        let parts = value.trimmingSpaces().split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 2, parts.count <= 4, parts[0].count == 16 || parts[0].count == 32,
            parts[1].count == 16, let trace = TraceID(hex: parts[0]), let id = SpanID(hex: parts[1])
        else { return nil }
        let sampled = parts.count >= 3 ? (parts[2] == "1" || parts[2] == "d") : false
        return HoistSpanContext(traceID: trace, spanID: id, sampled: sampled, isRemote: true)
    }

    /// `{traceId}:{spanId}:{parentSpanId}:{flags}` (also URL-encoded `%3A`); flag bit 0 = sampled.
    public static func parseJaeger(_ value: String) -> HoistSpanContext? {
        var raw = value.trimmingSpaces()
        if raw.contains("%3A") || raw.contains("%3a") {
            raw = raw.replacingAll("%3A", with: ":").replacingAll("%3a", with: ":")
        }
        let parts = raw.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 4, let trace = TraceID(hex: parts[0]), let id = SpanID(hex: parts[1]),
            let flags = TraceHex.decode(Array(parts[3].utf8)[...])
        else { return nil }
        return HoistSpanContext(traceID: trace, spanID: id, sampled: flags & 1 == 1, isRemote: true)
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s.removeFirst() }
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return String(s)
    }

    func replacingAll(_ target: String, with replacement: String) -> String {
        var out = ""
        var rest = Substring(self)
        while let r = rest.firstRange(of: target) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}
