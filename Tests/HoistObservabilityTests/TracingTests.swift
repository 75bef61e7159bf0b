import Foundation
import HoistObservability
import Logging
import Synchronization
import Testing
import Tracing

/// A dictionary carrier for propagation tests.
struct DictExtractor: Extractor {
    func extract(key: String, from carrier: [String: String]) -> String? { carrier[key] }
}

struct DictInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) { carrier[key] = value }
}

/// Collects exported batches; fails when told to.
final class RecordingExporter: SpanExporter, Sendable {
    let spans = Mutex<[FinishedSpan]>([])
    let failing: Bool
    init(failing: Bool = false) { self.failing = failing }
    func export(_ batch: [FinishedSpan]) async throws {
        if failing { throw CancellationError() }
        spans.withLock { $0.append(contentsOf: batch) }
    }
    func shutdown() async {}
}

let traceHex = "4bf92f3577b34da6a3ce929d0e0e4736"
let spanHex = "00f067aa0ba902b7"

@Suite("Tracing: propagation")
struct PropagationTests {
    func extract(_ formats: [TracePropagationFormat], _ headers: [String: String]) -> ServiceContext {
        var context = ServiceContext.topLevel
        HoistPropagator(formats: formats).extract(headers, into: &context, using: DictExtractor())
        return context
    }

    @Test func traceparentRoundTrip() throws {
        let ctx = extract([.tracecontext, .baggage], [
            "traceparent": "00-\(traceHex)-\(spanHex)-01", "tracestate": "a=b", "baggage": "user=1",
        ])
        let span = try #require(ctx.hoistSpanContext)
        #expect(span.traceID.hex == traceHex && span.spanID.hex == spanHex && span.sampled && span.isRemote)
        #expect(span.traceState == "a=b" && ctx.hoistBaggage == "user=1")
        var out: [String: String] = [:]
        HoistPropagator(formats: [.tracecontext, .baggage]).inject(ctx, into: &out, using: DictInjector())
        #expect(out == ["traceparent": "00-\(traceHex)-\(spanHex)-01", "tracestate": "a=b", "baggage": "user=1"])
    }

    @Test(arguments: [
        "00-\(traceHex)-\(spanHex)", "00-00000000000000000000000000000000-\(spanHex)-01",
        "00-\(traceHex)-0000000000000000-01", "ff-\(traceHex)-\(spanHex)-01", "00-\(traceHex)-\(spanHex)-01-extra",
        "00-\(traceHex.uppercased().replacingOccurrences(of: "F", with: "g"))-\(spanHex)-01",
    ])
    func invalidTraceparent(_ value: String) {
        #expect(HoistPropagator.parseTraceparent(value) == nil)
    }

    @Test func b3Single() throws {
        let span = try #require(HoistPropagator.parseB3Single("\(traceHex)-\(spanHex)-1-0000000000000001"))
        #expect(span.traceID.hex == traceHex && span.spanID.hex == spanHex && span.sampled)
        let short = try #require(HoistPropagator.parseB3Single("a3ce929d0e0e4736-\(spanHex)"))
        #expect(short.traceID.hex == "0000000000000000a3ce929d0e0e4736" && !short.sampled)
        #expect(HoistPropagator.parseB3Single("0") == nil)
        #expect(HoistPropagator.parseB3Single("\(traceHex)-\(spanHex)-d")?.sampled == true)
        #expect(HoistPropagator.headers(.b3, span).map { "\($0.0)=\($0.1)" } == ["b3=\(traceHex)-\(spanHex)-1"])
    }

    @Test func b3Multi() throws {
        let ctx = extract([.b3multi], ["x-b3-traceid": traceHex, "x-b3-spanid": spanHex, "x-b3-sampled": "1"])
        let span = try #require(ctx.hoistSpanContext)
        #expect(span.sampled && span.traceID.hex == traceHex)
        let debug = extract([.b3multi], ["x-b3-traceid": traceHex, "x-b3-spanid": spanHex, "x-b3-flags": "1"])
        #expect(debug.hoistSpanContext?.sampled == true)
        var out: [String: String] = [:]
        HoistPropagator(formats: [.b3multi]).inject(ctx, into: &out, using: DictInjector())
        #expect(out == ["x-b3-traceid": traceHex, "x-b3-spanid": spanHex, "x-b3-sampled": "1"])
    }

    @Test func jaeger() throws {
        let span = try #require(HoistPropagator.parseJaeger("\(traceHex):\(spanHex):0:1"))
        #expect(span.sampled && span.spanID.hex == spanHex)
        let encoded = try #require(HoistPropagator.parseJaeger("a3ce929d0e0e4736%3A\(spanHex)%3A0%3A0"))
        #expect(!encoded.sampled && encoded.traceID.low == 0xa3ce929d0e0e4736)
        #expect(HoistPropagator.parseJaeger("\(traceHex):\(spanHex):0") == nil)
        var out: [String: String] = [:]
        var ctx = ServiceContext.topLevel
        ctx.hoistSpanContext = span
        HoistPropagator(formats: [.jaeger]).inject(ctx, into: &out, using: DictInjector())
        #expect(out == ["uber-trace-id": "\(traceHex):\(spanHex):0:1"])
    }

    @Test func laterFormatWins() {
        let ctx = extract([.tracecontext, .b3], [
            "traceparent": "00-\(traceHex)-\(spanHex)-01", "b3": "a3ce929d0e0e4736a3ce929d0e0e4736-00000000000000aa-0",
        ])
        #expect(ctx.hoistSpanContext?.spanID.hex == "00000000000000aa")
        #expect(extract([.tracecontext], ["b3": "\(traceHex)-\(spanHex)-1"]).hoistSpanContext == nil)
    }
}

@Suite("Tracing: sampler and tracer")
struct SamplerTests {
    let remoteSampled = HoistSpanContext(
        traceID: TraceID(high: 1, low: .max), spanID: SpanID(1), sampled: true, isRemote: true)

    @Test func ratioBounds() {
        var rng = SystemRandomNumberGenerator()
        let ids = (0..<2000).map { _ in TraceID.random(using: &rng) }
        #expect(ids.allSatisfy { TraceSampler(ratio: 1).shouldSample(traceID: $0, parent: nil) })
        #expect(!ids.contains { TraceSampler(ratio: 0).shouldSample(traceID: $0, parent: nil) })
        let quarter = ids.filter { TraceSampler(ratio: 0.25).shouldSample(traceID: $0, parent: nil) }.count
        #expect((350...650).contains(quarter))
        // Deterministic in the trace id's lower half.
        #expect(TraceSampler(ratio: 0.5).shouldSample(traceID: TraceID(high: 9, low: 0x7fff_ffff_ffff_ffff), parent: nil))
        #expect(!TraceSampler(ratio: 0.5).shouldSample(traceID: TraceID(high: 9, low: 0xffff_ffff_ffff_fff0), parent: nil))
    }

    @Test func parentBased() {
        #expect(TraceSampler(ratio: 0).shouldSample(traceID: remoteSampled.traceID, parent: remoteSampled))
        var unsampled = remoteSampled
        unsampled.sampled = false
        // An unsampled remote parent falls back to the ratio; a local parent is always followed.
        #expect(TraceSampler(ratio: 1).shouldSample(traceID: unsampled.traceID, parent: unsampled))
        unsampled.isRemote = false
        #expect(!TraceSampler(ratio: 1).shouldSample(traceID: unsampled.traceID, parent: unsampled))
    }

    @Test func childSpansLinkAndExport() async throws {
        let exporter = RecordingExporter()
        let processor = SpanBatchProcessor(exporter: exporter, registry: nil, logger: Logger(label: "t"))
        let tracer = HoistTracer(
            sampler: TraceSampler(ratio: 0), propagator: HoistPropagator(formats: [.tracecontext]), processor: processor)
        var parent = ServiceContext.topLevel
        parent.hoistSpanContext = remoteSampled
        let server = tracer.startSpan("POST /evaluate/v1/variant", context: parent, ofKind: .server)
        let child = tracer.startSpan("evaluation.variant", context: server.context, ofKind: .internal)
        child.attributes["flipt.flag"] = "f"
        child.end()
        server.end()
        server.attributes["late"] = "ignored"
        await processor.flush()
        let spans = exporter.spans.withLock { $0 }
        #expect(spans.map(\.name) == ["evaluation.variant", "POST /evaluate/v1/variant"])
        #expect(spans.allSatisfy { $0.context.traceID == remoteSampled.traceID })
        #expect(spans[1].parentSpanID == remoteSampled.spanID)
        #expect(spans[0].parentSpanID == spans[1].context.spanID)
        #expect(spans[0].attributes.get("flipt.flag") == .string("f"))
        #expect(spans[1].attributes.get("late") == nil)
    }

    @Test func unsampledSpansAreNotQueued() async {
        let processor = SpanBatchProcessor(exporter: RecordingExporter(), registry: nil, logger: Logger(label: "t"))
        let tracer = HoistTracer(
            sampler: TraceSampler(ratio: 0), propagator: HoistPropagator(formats: []), processor: processor)
        let span = tracer.startSpan("x", context: .topLevel, ofKind: .server)
        #expect(!span.isRecording && !span.spanContext.sampled)
        span.end()
        #expect(processor.queuedCount == 0)
    }

    @Test func fullQueueAndFailedExportsDrop() async {
        let processor = SpanBatchProcessor(
            exporter: RecordingExporter(failing: true), registry: nil, logger: Logger(label: "t"), capacity: 4)
        let tracer = HoistTracer(sampler: TraceSampler(ratio: 1), propagator: HoistPropagator(formats: []), processor: processor)
        for _ in 0..<10 { tracer.startSpan("x", context: .topLevel, ofKind: .server).end() }
        #expect(processor.queuedCount == 4 && processor.droppedCount == 6)
        await processor.flush()
        #expect(processor.droppedCount == 10 && processor.exportedCount == 0)
    }
}

@Suite("Tracing: Zipkin JSON")
struct ZipkinJSONTests {
    @Test func encodesV2Model() throws {
        var attrs = SpanAttributes()
        attrs["flipt.flag"] = "f"
        attrs.set("flipt.match", value: .bool(true))
        attrs.set("flipt.segments", value: .stringArray(["a", "b\""]))
        attrs.set("http.response.status_code", value: .int64(200))
        let span = FinishedSpan(
            name: "POST /evaluate/v1/variant", kind: .server,
            context: HoistSpanContext(traceID: TraceID(hex: traceHex)!, spanID: SpanID(hex: spanHex)!, sampled: true),
            parentSpanID: SpanID(0xaa), startNanos: 1_700_000_000_123_456_789, endNanos: 1_700_000_000_123_457_000,
            attributes: attrs, status: SpanStatus(code: .error, message: "boom"))
        let json = try JSONSerialization.jsonObject(with: Data(ZipkinJSON.encode([span], serviceName: "flipt")))
        let first = try #require((json as? [[String: Any]])?.first)
        #expect(first["traceId"] as? String == traceHex)
        #expect(first["id"] as? String == spanHex)
        #expect(first["parentId"] as? String == "00000000000000aa")
        #expect(first["kind"] as? String == "SERVER")
        #expect(first["timestamp"] as? Int == 1_700_000_000_123_456)
        #expect(first["duration"] as? Int == 1)
        #expect((first["localEndpoint"] as? [String: String])?["serviceName"] == "flipt")
        let tags = try #require(first["tags"] as? [String: String])
        #expect(tags["flipt.flag"] == "f" && tags["flipt.match"] == "true")
        #expect(tags["flipt.segments"] == "[\"a\",\"b\\\"\"]")
        #expect(tags["http.response.status_code"] == "200")
        #expect(tags["otel.status_code"] == "ERROR" && tags["error"] == "boom")
    }

    @Test func internalSpanHasNoKindAndRootNoParent() throws {
        let span = FinishedSpan(
            name: "evaluation.boolean", kind: .internal,
            context: HoistSpanContext(traceID: TraceID(high: 1, low: 2), spanID: SpanID(3), sampled: true),
            parentSpanID: nil, startNanos: 5_000, endNanos: 9_000)
        let text = String(decoding: ZipkinJSON.encode([span], serviceName: "s"), as: UTF8.self)
        #expect(
            text == #"[{"traceId":"00000000000000010000000000000002","id":"0000000000000003","name":"evaluation.boolean","timestamp":5,"duration":4,"localEndpoint":{"serviceName":"s"}}]"#)
    }
}

@Suite("Tracing: log correlation and events")
struct TracingLogTests {
    @Test func metadataProviderReadsCurrentSpan() {
        let tracer = HoistTracer(
            sampler: TraceSampler(ratio: 1), propagator: HoistPropagator(formats: []), processor: nil)
        let span = tracer.startSpan("x", context: .topLevel, ofKind: .server)
        #expect(Logger.MetadataProvider.hoistTracing.get().isEmpty)
        let metadata = ServiceContext.withValue(span.context) { Logger.MetadataProvider.hoistTracing.get() }
        #expect(metadata["trace_id"] == .string(span.spanContext.traceID.hex))
        #expect(metadata["span_id"] == .string(span.spanContext.spanID.hex))
    }

    @Test func evaluationEventAttributes() {
        let a = EvaluationEvents.attributes(
            flagKey: "f", namespace: "ns", entityId: "e", version: "v1", booleanValue: true,
            fliptReason: "FLAG_DISABLED_EVALUATION_REASON")
        #expect(a.get("feature_flag.result.value") == .bool(true))
        #expect(a.get("feature_flag.result.reason") == .string("disabled"))
        #expect(a.get("feature_flag.set.id") == .string("ns") && a.get("feature_flag.version") == .string("v1"))
        let e = EvaluationEvents.attributes(
            flagKey: "f", namespace: "ns", entityId: "e", version: nil, fliptReason: nil, errorType: "notFound")
        #expect(e.get("error.type") == .string("notFound") && e.get("feature_flag.result.reason") == .string("error"))
        #expect(EvaluationEvents.reason(fliptReason: "MATCH_EVALUATION_REASON") == "targeting_match")
        #expect(EvaluationEvents.reason(fliptReason: "MATCH_EVALUATION_REASON", split: true) == "split")
        #expect(EvaluationEvents.reason(fliptReason: "DEFAULT_EVALUATION_REASON", split: true) == "default")
        let split = EvaluationEvents.attributes(
            flagKey: "f", namespace: "ns", entityId: "e", version: nil, variant: "a",
            fliptReason: "MATCH_EVALUATION_REASON", split: true)
        #expect(split.get("feature_flag.result.reason") == .string("split"))
    }
}
