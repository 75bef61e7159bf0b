import AsyncHTTPClient
import Foundation
public import HoistCore
import NIOCore
import NIOHTTP1

/// The analytics endpoint answered from Prometheus with Flipt's own query
/// (`analytics.storage.prometheus.enabled`, `.url`, `.headers`; flipt
/// `internal/server/analytics/prometheus/client.go`): a range query of
/// `sum(increase(flipt_evaluations_requests_total{namespace="<ns>", flag="<flag>"}[<step>m])) or vector(0)`
/// from `from` to `to + step`, values rounded to integers.
public struct PrometheusEvaluationCounts: EvaluationCountSource {
    public let baseURL: String
    public let headers: [String: String]
    let client: HTTPClient
    let timeout: TimeAmount
    public var name: String { "prometheus" }

    public init(url: String, headers: [String: String], client: HTTPClient = .shared, timeout: TimeAmount = .seconds(30)) {
        self.baseURL = url.hasSuffix("/") ? String(url.dropLast()) : url
        self.headers = headers
        self.client = client
        self.timeout = timeout
    }

    /// Flipt's PromQL for one flag and step.
    public static func promQL(namespaceKey: String, flagKey: String, stepMinutes: Int) -> String {
        "sum(increase(flipt_evaluations_requests_total{namespace=\"\(escape(namespaceKey))\", "
            + "flag=\"\(escape(flagKey))\"}[\(stepMinutes)m])) or vector(0)"
    }

    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    public func flagEvaluationCounts(_ query: FlagEvaluationCountQuery) async throws -> FlagEvaluationCounts {
        let form = [
            ("query", Self.promQL(namespaceKey: query.namespaceKey, flagKey: query.flagKey, stepMinutes: query.stepMinutes)),
            ("start", String(query.from)),
            ("end", String(query.to + query.stepSeconds)),
            ("step", String(query.stepSeconds)),
        ].map { "\($0.0)=\(Self.formEncode($0.1))" }.joined(separator: "&")
        var request = HTTPClientRequest(url: baseURL + "/api/v1/query_range")
        request.method = .POST
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        request.headers.replaceOrAdd(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: form))
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await client.execute(request, timeout: timeout)
            body = try await response.body.collect(upTo: 16 * 1024 * 1024)
        } catch {
            throw HoistError(.unavailable, "querying prometheus: \(error)")
        }
        guard (200..<300).contains(response.status.code) else {
            throw HoistError(.unavailable, "prometheus answered HTTP \(response.status.code)")
        }
        return try Self.decode(Array(body.readableBytesView))
    }

    /// Reads a `query_range` answer the way Flipt does: the last series gives the timestamps and
    /// values; any other series (VictoriaMetrics splits `or vector(0)`) adds to matching timestamps.
    public static func decode(_ bytes: [UInt8]) throws(HoistError) -> FlagEvaluationCounts {
        let json: JSONValue
        do {
            json = try JSONParser.parse(bytes)
        } catch {
            throw HoistError(.internal, "unreadable answer from prometheus: \(error)")
        }
        guard json["status"]?.stringValue == "success",
            case .array(let series)? = json["data"]?["result"], let last = series.last
        else { throw HoistError(.internal, "unexpected data type returned from prometheus") }
        var counts = FlagEvaluationCounts(timestamps: [], values: [])
        for (timestamp, value) in points(last) {
            counts.timestamps.append(timestamp)
            counts.values.append(value)
        }
        for other in series.dropLast() {
            for (timestamp, value) in points(other) {
                if let index = counts.timestamps.firstIndex(of: timestamp) { counts.values[index] += value }
            }
        }
        return counts
    }

    static func points(_ series: JSONValue) -> [(String, Float)] {
        guard case .array(let values)? = series["values"] else { return [] }
        return values.compactMap { point in
            guard case .array(let pair) = point, pair.count == 2, case .number(let seconds, _) = pair[0],
                let text = pair[1].stringValue, let value = Double(text)
            else { return nil }
            let milliseconds = Int64((seconds * 1000).rounded())
            let wholeSeconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
            return (FlagEvaluationCountQuery.rfc3339(wholeSeconds), Float(value.isFinite ? value.rounded() : 0))
        }
    }

    static func formEncode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}
