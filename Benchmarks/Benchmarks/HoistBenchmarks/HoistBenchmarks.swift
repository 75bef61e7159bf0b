import Benchmark
import HoistCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Fast operations run an inner loop of 1,000 (`scalingFactor: .kilo`); the reported wall-clock and malloc
// figures are per operation (the plugin divides by the scaling factor, marked `*` in its output).
//
// HOIST_BENCH_SMOKE=1 (scripts/bench-smoke.sh, run by CI): a few iterations of every benchmark, no
// thresholds, so the suite keeps compiling and running without costing CI minutes.

let smoke = getenv("HOIST_BENCH_SMOKE").map { String(cString: $0) == "1" } ?? false

func configuration(scaling: BenchmarkScalingFactor = .kilo, seconds: Int = 2, iterations: Int = 10_000,
                   warmup: Int = 10, extraMetrics: [BenchmarkMetric] = []) -> Benchmark.Configuration {
    Benchmark.Configuration(
        metrics: [.wallClock, .mallocCountTotal, .throughput] + extraMetrics,
        timeUnits: .nanoseconds,
        warmupIterations: smoke ? 1 : warmup,
        scalingFactor: smoke ? .one : scaling,
        maxDuration: smoke ? .milliseconds(20) : .seconds(seconds),
        maxIterations: smoke ? 3 : iterations)
}

let benchmarks: @Sendable () -> Void = {
    let snapshot = EvaluationSnapshot(state: Fixtures.evaluationState())
    let context = Fixtures.context
    let entityId = Fixtures.entityId

    // Fail loudly if a fixture does not take the path its name claims.
    func check(_ condition: Bool, _ message: String) {
        if !condition { fatalError("fixture check failed: \(message)") }
    }
    do {
        check(try snapshot.variant(flagKey: "variant-no-rules", entityId: entityId, context: context).reason == .default,
              "variant-no-rules")
        check(try snapshot.variant(flagKey: "variant-1x1x1", entityId: entityId, context: context).match, "1x1x1")
        let mixed = try snapshot.variant(flagKey: "variant-5x2x3", entityId: entityId, context: context)
        check(mixed.match && mixed.segmentKeys == ["seg-mixed-5a", "seg-mixed-5b"], "5x2x3 \(mixed)")
        let fifty = try snapshot.variant(flagKey: "variant-50-rules", entityId: entityId, context: context)
        check(fifty.match && fifty.segmentKeys == ["seg-plan-50"], "50 rules")
        check(try snapshot.boolean(flagKey: "boolean-segments", entityId: entityId, context: context).segmentKeys
              == ["seg-beta-de"], "boolean-segments")
        for (name, _) in Fixtures.constraintCases {
            check(try snapshot.variant(flagKey: "type-\(name)", entityId: entityId, context: context).match, name)
        }
    } catch {
        fatalError("fixture evaluation failed: \(error)")
    }

    // MARK: Variant evaluation

    for (name, flagKey) in [
        ("Variant/no rules", "variant-no-rules"),
        ("Variant/1 rule x 1 segment x 1 constraint", "variant-1x1x1"),
        ("Variant/5 rules x 2 segments x 3 mixed constraints", "variant-5x2x3"),
        ("Variant/50 rules", "variant-50-rules"),
    ] {
        Benchmark(name, configuration: configuration()) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try snapshot.variant(flagKey: flagKey, entityId: entityId, context: context))
            }
        }
    }

    // MARK: Boolean evaluation

    for (name, flagKey) in [
        ("Boolean/threshold", "boolean-threshold"),
        ("Boolean/3 segment rollouts + threshold", "boolean-segments"),
    ] {
        Benchmark(name, configuration: configuration()) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try snapshot.boolean(flagKey: flagKey, entityId: entityId, context: context))
            }
        }
    }

    // MARK: Batch of 20 flags (10 variant, 10 boolean), per batch

    let batchKeys = Fixtures.batchFlagKeys
    Benchmark("Batch/20 flags", configuration: configuration(scaling: .one, iterations: 100_000)) { benchmark in
        for _ in benchmark.scaledIterations {
            for key in batchKeys {
                switch snapshot.flagType(forKey: key) {
                case .variant?: blackHole(try snapshot.variant(flagKey: key, entityId: entityId, context: context))
                case .boolean?: blackHole(try snapshot.boolean(flagKey: key, entityId: entityId, context: context))
                case nil: fatalError("missing \(key)")
                }
            }
        }
    }

    // MARK: Constraint matching per type (whole evaluation of a 1 rule / 1 constraint flag; subtract "Variant/no rules"
    // and the 1-constraint string-eq case to isolate the operator).

    for (name, _) in Fixtures.constraintCases {
        let flagKey = "type-\(name)"
        Benchmark("Constraint/\(name)", configuration: configuration()) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try snapshot.variant(flagKey: flagKey, entityId: entityId, context: context))
            }
        }
    }

    // MARK: Snapshot compilation

    for count in [100, 1_000, 10_000] {
        Benchmark("Snapshot compile/\(count) flags",
                  configuration: configuration(scaling: .one, seconds: count >= 10_000 ? 10 : 3,
                                               iterations: count >= 10_000 ? 30 : 300, warmup: 1,
                                               extraMetrics: [.mallocBytesCount, .peakMemoryResident])) { benchmark in
            let state = Fixtures.scaleState(flagCount: count)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(EvaluationSnapshot(state: state))
            }
            benchmark.stopMeasurement()
        }
    }

    Benchmark("Client snapshot document/1000 flags",
              configuration: configuration(scaling: .one, seconds: 3, iterations: 300, warmup: 1)) { benchmark in
        let state = Fixtures.scaleState(flagCount: 1_000)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(ClientSnapshotDocument.encode(state: state, acceptServerVersion: .defaultVariant))
        }
        benchmark.stopMeasurement()
    }

    // MARK: JSON (generic parser + field extraction; response via JSONWriter)

    let body = Fixtures.requestBody
    Benchmark("JSON/decode evaluation request (JSONParser + fields)", configuration: configuration()) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try RequestDecoding.decode(body))
        }
    }

    Benchmark("JSON/decode evaluation request (EvaluationRequestDecoder)", configuration: configuration()) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try body.withUnsafeBytes { bytes throws(HoistError) in try EvaluationRequestDecoder.decode(bytes) })
        }
    }

    let batchBody = Fixtures.batchRequestBody
    Benchmark("JSON/decode batch request of 20 (EvaluationRequestDecoder)", configuration: configuration()) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try batchBody.withUnsafeBytes { bytes throws(HoistError) in
                try EvaluationRequestDecoder.decodeBatch(bytes)
            })
        }
    }

    let result = try! snapshot.variant(flagKey: "variant-5x2x3", entityId: entityId, context: context)
    let now = Timestamp(microseconds: 1_732_190_000_123_456)
    Benchmark("JSON/encode variant response (JSONWriter.variantResponse)", configuration: configuration()) { benchmark in
        for _ in benchmark.scaledIterations {
            var w = JSONWriter()
            w.variantResponse(result, requestId: "6f1b2c3d-0000-4000-8000-123456789abc", durationMillis: 0.0123,
                              timestamp: now)
            blackHole(w.bytes)
        }
    }

    Benchmark("JSON/Timestamp.rfc3339", configuration: configuration()) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(now.rfc3339)
        }
    }

    Benchmark("JSON/RequestID.random", configuration: configuration()) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(RequestID.random())
        }
    }

    // What the HTTP route does per request, minus HTTP: decode, evaluate, new request id, timestamp, encode.
    Benchmark("End to end/decode + evaluate 5x2x3 + encode", configuration: configuration()) { benchmark in
        for _ in benchmark.scaledIterations {
            let request = try body.withUnsafeBytes { bytes throws(HoistError) in try EvaluationRequestDecoder.decode(bytes) }
            let r = try snapshot.variant(flagKey: request.flagKey, entityId: request.entityId, context: request.context)
            var w = JSONWriter()
            w.variantResponse(r, requestId: RequestID.random(), durationMillis: 0.0123, timestamp: now)
            blackHole(w.bytes)
        }
    }
}

/// What `HoistAPI.EvaluationInput` does with a body: generic parse, then camelCase/snake_case field lookup.
enum RequestDecoding {
    struct Request {
        var requestId = ""
        var namespaceKey = ""
        var flagKey = ""
        var entityId = ""
        var context: [String: String] = [:]
    }

    struct Invalid: Error {}

    static func decode(_ bytes: [UInt8]) throws -> Request {
        guard case .object(let members) = try JSONParser.parse(bytes) else { throw Invalid() }
        func string(_ json: String, _ proto: String) throws -> String {
            var found: JSONValue?
            for (k, v) in members where k == json { found = v }
            if found == nil || found!.isNull { for (k, v) in members where k == proto { found = v } }
            switch found {
            case nil, .null?: return ""
            case .string(let s)?: return s
            default: throw Invalid()
            }
        }
        var request = Request()
        request.requestId = try string("requestId", "request_id")
        request.namespaceKey = try string("namespaceKey", "namespace_key")
        request.flagKey = try string("flagKey", "flag_key")
        request.entityId = try string("entityId", "entity_id")
        var contextValue: JSONValue?
        for (k, v) in members where k == "context" { contextValue = v }
        if case .object(let entries)? = contextValue {
            request.context.reserveCapacity(entries.count)
            for (key, value) in entries {
                switch value {
                case .string(let s): request.context[key] = s
                case .null: request.context[key] = ""
                default: throw Invalid()
                }
            }
        }
        return request
    }
}
