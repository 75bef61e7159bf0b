import Foundation
import HoistCore
import Hummingbird
import HummingbirdTesting
import Testing

/// The exact Flipt error body for a gRPC code and message.
func errorBody(_ code: Int, _ message: String) -> String {
    let escaped = message.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    return #"{"code":\#(code),"message":"\#(escaped)","details":[]}"#
}

/// Expects a 400 `{"code":3,…}` with exactly `message`.
func expectInvalid(
    _ reply: TestServer.Reply, _ message: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(reply.status == .badRequest, "\(reply.body)", sourceLocation: sourceLocation)
    #expect(reply.body == errorBody(3, message), sourceLocation: sourceLocation)
}

/// Expects a 404 `{"code":5,…}` with exactly `message`.
func expectNotFound(
    _ reply: TestServer.Reply, _ message: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(reply.status == .notFound, "\(reply.body)", sourceLocation: sourceLocation)
    #expect(reply.body == errorBody(5, message), sourceLocation: sourceLocation)
}

/// Expects a 400 with code 3 and any message (for parser messages the spec does not fix).
func expectBadRequest(_ reply: TestServer.Reply, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(reply.status == .badRequest, "\(reply.body)", sourceLocation: sourceLocation)
    #expect(reply["code"] == .number(3), sourceLocation: sourceLocation)
    #expect(reply["details"] == .array([]), sourceLocation: sourceLocation)
    #expect(reply["message"]?.string?.isEmpty == false, sourceLocation: sourceLocation)
}

func expectEmptyOK(_ reply: TestServer.Reply, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(reply.status == .ok, "\(reply.body)", sourceLocation: sourceLocation)
    #expect(reply.body == "{}", sourceLocation: sourceLocation)
}

/// RFC 3339 UTC with `Z` and 0, 3, 6 or 9 fractional digits.
func isRFC3339(_ value: JSONValue?) -> Bool {
    guard let s = value?.string else { return false }
    return s.range(
        of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.(\d{3}|\d{6}|\d{9}))?Z$"#, options: .regularExpression) != nil
}

extension TestServer {
    static let ns = "/api/v1/namespaces/default"

    @discardableResult
    func createFlag(_ key: String, ns: String = "default", type: String = "VARIANT_FLAG_TYPE", enabled: Bool = true)
        async throws -> JSONValue
    {
        try await ok(.post, "/api/v1/namespaces/\(ns)/flags",
            #"{"key":"\#(key)","name":"\#(key)","type":"\#(type)","enabled":\#(enabled)}"#)
    }

    @discardableResult
    func createNamespace(_ key: String) async throws -> JSONValue {
        try await ok(.post, "/api/v1/namespaces", #"{"key":"\#(key)","name":"\#(key)"}"#)
    }

    /// Creates a variant and returns its id.
    @discardableResult
    func createVariant(_ flag: String, _ key: String, ns: String = "default", attachment: String = "") async throws
        -> String
    {
        let escaped = attachment.replacingOccurrences(of: "\"", with: "\\\"")
        let v = try await ok(.post, "/api/v1/namespaces/\(ns)/flags/\(flag)/variants",
            #"{"key":"\#(key)","attachment":"\#(escaped)"}"#)
        return try #require(v["id"]?.string)
    }

    @discardableResult
    func createSegment(_ key: String, ns: String = "default", matchType: String = "ALL_MATCH_TYPE") async throws
        -> JSONValue
    {
        try await ok(.post, "/api/v1/namespaces/\(ns)/segments",
            #"{"key":"\#(key)","name":"\#(key)","matchType":"\#(matchType)"}"#)
    }

    /// Creates a rule and returns its id.
    @discardableResult
    func createRule(_ flag: String, segment: String, rank: Int, ns: String = "default") async throws -> String {
        let r = try await ok(.post, "/api/v1/namespaces/\(ns)/flags/\(flag)/rules",
            #"{"segmentKey":"\#(segment)","rank":\#(rank)}"#)
        return try #require(r["id"]?.string)
    }

    /// Creates a threshold rollout and returns its id.
    @discardableResult
    func createThreshold(_ flag: String, rank: Int, percentage: Double = 50, value: Bool = true, ns: String = "default")
        async throws -> String
    {
        let r = try await ok(.post, "/api/v1/namespaces/\(ns)/flags/\(flag)/rollouts",
            #"{"rank":\#(rank),"threshold":{"percentage":\#(percentage),"value":\#(value)}}"#)
        return try #require(r["id"]?.string)
    }

    /// `totalCount` of a list endpoint.
    func count(_ uri: String) async throws -> Int {
        let list = try await ok(.get, uri)
        return Int(try #require(list["totalCount"]?.double))
    }
}

func matches(_ value: JSONValue?, _ pattern: String) -> Bool {
    guard let s = value?.string else { return false }
    return s.range(of: pattern, options: .regularExpression) != nil
}

func isUUID(_ value: JSONValue?) -> Bool {
    matches(value, #"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"#)
}
