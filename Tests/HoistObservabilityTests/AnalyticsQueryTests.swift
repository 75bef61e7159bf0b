import HoistCore
import HoistObservability
import HoistStorage
import Testing

@Suite struct AnalyticsQueryTests {
    @Test(arguments: [
        (3 * 3600, 1), (4 * 3600 - 1, 1), (4 * 3600, 5), (12 * 3600 - 1, 5), (12 * 3600, 15), (24 * 3600 - 1, 15),
        (24 * 3600, 30), (7 * 86_400, 30),
    ])
    func stepFollowsFliptsRules(seconds: Int, step: Int) {
        #expect(FlagEvaluationCountQuery.stepMinutes(forSeconds: Int64(seconds)) == step)
    }

    @Test func fromAndToAcceptRFC3339AndGoDateTime() throws {
        let query = try FlagEvaluationCountQuery(
            namespaceKey: "default", flagKey: "f", from: "2024-01-01T12:00:30+01:00", to: "2024-01-01 12:10:00")
        #expect(query.from == 1_704_106_830)
        #expect(query.to == 1_704_110_400 + 600)
        #expect(query.stepMinutes == 1)
    }

    @Test(arguments: [
        (nil, "2024-01-01T00:00:00Z", "from is required"),
        ("2024-01-01T00:00:00Z", "yesterday", "to is not a valid time"),
        ("2024-01-02T00:00:00Z", "2024-01-01T00:00:00Z", "to must not be before from"),
        ("2000-01-01T00:00:00Z", "2024-01-01T00:00:00Z", "time range too large"),
    ] as [(String?, String, String)])
    func badTimesAreInvalidArguments(from: String?, to: String, message: String) {
        #expect {
            try FlagEvaluationCountQuery(namespaceKey: "n", flagKey: "f", from: from, to: to)
        } throws: { error in
            guard let error = error as? HoistError else { return false }
            return error.kind == .invalid && error.message.hasPrefix(message)
        }
    }

    @Test func storedCountsFillEveryBucketAndSumItsMinutes() async throws {
        let store = MemoryCountStore()
        let noon: Int64 = 1_704_110_400
        func cell(_ minute: Int64, _ count: Int64, value: String = "a") -> EvaluationCount {
            EvaluationCount(minute: minute, namespaceKey: "ns", flagKey: "f", reason: "MATCH_EVALUATION_REASON", value: value, count: count)
        }
        try await store.addEvaluationCounts([
            cell(noon, 2), cell(noon, 3, value: "b"), cell(noon + 4 * 60, 7), cell(noon + 5 * 60, 1), cell(noon + 30 * 60, 100),
        ])
        let counter = EvaluationCounter(clock: { noon + 5 * 60 + 10 })
        counter.recordVariant(namespace: "ns", flag: "f", result: variant("a"))
        let source = StoredEvaluationCounts(store: store, counter: counter)
        // 5 h → 5-minute buckets from the one holding `from` to the one holding `to`.
        let query = FlagEvaluationCountQuery(namespaceKey: "ns", flagKey: "f", from: noon + 60, to: noon + 5 * 3600 - 1)
        let counts = try await source.flagEvaluationCounts(query)
        #expect(query.stepMinutes == 5)
        #expect(counts.timestamps.count == 60)
        #expect(counts.timestamps.prefix(3) == ["2024-01-01T12:00:00Z", "2024-01-01T12:05:00Z", "2024-01-01T12:10:00Z"])
        #expect(counts.timestamps.last == "2024-01-01T16:55:00Z")
        #expect(counts.values.prefix(7) == [12, 2, 0, 0, 0, 0, 100])
        #expect(counts.values.reduce(0, +) == 114)
    }

    @Test func prometheusAnswersAreReadLikeFliptDoes() throws {
        let body = """
            {"status":"success","data":{"resultType":"matrix","result":[
              {"metric":{},"values":[[1704110400,"0"],[1704110460,"2.4"]]},
              {"metric":{},"values":[[1704110400,"0"],[1704110460,"4.6"],[1704110520,"1"]]}]}}
            """
        let counts = try PrometheusEvaluationCounts.decode(Array(body.utf8))
        #expect(counts.timestamps == ["2024-01-01T12:00:00Z", "2024-01-01T12:01:00Z", "2024-01-01T12:02:00Z"])
        #expect(counts.values == [0, 7, 1])
        #expect(throws: HoistError.self) { try PrometheusEvaluationCounts.decode(Array(#"{"status":"error"}"#.utf8)) }
    }

    @Test func theQueryIsFlipts() {
        #expect(
            PrometheusEvaluationCounts.promQL(namespaceKey: "default", flagKey: "check\"out", stepMinutes: 5)
                == #"sum(increase(flipt_evaluations_requests_total{namespace="default", flag="check\"out"}[5m])) or vector(0)"#)
    }
}
