import Testing

@testable import HoistCore

@Suite struct OFREPWireTests {
    func context(_ json: String) throws -> [String: String] {
        try Array(json.utf8).withUnsafeBytes { buffer in try OFREPRequestDecoder.context(buffer) }
    }

    @Test func decodesTheContext() throws {
        #expect(try context(#"{"context":{"targetingKey":"u1","plan":"pro","x":null},"ignored":{"a":[1]}}"#)
            == ["targetingKey": "u1", "plan": "pro", "x": ""])
        #expect(try context("") == [:])
        #expect(try context("null") == [:])
        #expect(try context(#"{"context":null}"#) == [:])
        #expect(try context(#" { "context" : { "a\u00e9" : "\n" } } "#) == ["aé": "\n"])
        for bad in [#"{"context":{"n":1}}"#, #"{"context":["a"]}"#, #"{"context":{"a":"b"}"#, "[]", "{} {}", #"{"context":{"o":{}}}"#] {
            #expect(throws: HoistError.self, "\(bad)") { try context(bad) }
        }
    }

    @Test func bulkFlagKeys() {
        #expect(OFREP.requestedFlagKeys(["flags": " a, b ,c\t"]) == ["a", "b", "c"])
        #expect(OFREP.requestedFlagKeys(["flags": ""]) == [""])
        #expect(OFREP.requestedFlagKeys(["flags": "a,,b"]) == ["a", "", "b"])
        #expect(OFREP.requestedFlagKeys(["other": "a"]) == nil)
        #expect(OFREP.entityId(["targetingKey": "u9"]) == "u9" && OFREP.entityId([:]) == "")
    }

    @Test func reasons() {
        #expect(OFREP.reason(.match).description == "TARGETING_MATCH")
        #expect(OFREP.reason(.default).description == "DEFAULT")
        #expect(OFREP.reason(.flagDisabled).description == "DISABLED")
        #expect(OFREP.reason(.unknown).description == "UNKNOWN")
    }

    @Test func bulkETag() throws {
        let revision = String(repeating: "ab", count: 20)
        let tag = try #require(OFREPBulkETag.make(revision: revision, namespaceKey: "default", context: ["a": "1", "b": "2"]))
        #expect(tag.hasPrefix("\"\(revision)-") && tag.hasSuffix("\"") && tag.count == 40 + 16 + 3)
        // Deterministic: the same inputs give the same tag (dictionary order does not matter).
        #expect(OFREPBulkETag.make(revision: revision, namespaceKey: "default", context: ["b": "2", "a": "1"]) == tag)
        // Every input counts, including where one string ends and the next begins.
        for other in [
            OFREPBulkETag.make(revision: revision, namespaceKey: "other", context: ["a": "1", "b": "2"]),
            OFREPBulkETag.make(revision: revision, namespaceKey: "default", context: ["a": "1", "b": "3"]),
            OFREPBulkETag.make(revision: revision, namespaceKey: "default", context: ["a": "1"]),
            OFREPBulkETag.make(revision: revision, namespaceKey: "default", context: ["a": "1b", "": "2"]),
            OFREPBulkETag.make(revision: "cd" + revision.dropFirst(2), namespaceKey: "default", context: ["a": "1", "b": "2"]),
        ] {
            #expect(other != tag)
        }
        #expect(OFREPBulkETag.make(revision: "", namespaceKey: "default", context: [:]) == nil)

        #expect(OFREPBulkETag.matches(ifNoneMatch: tag, etag: tag))
        #expect(OFREPBulkETag.matches(ifNoneMatch: "\"x\" , W/\(tag)", etag: tag))
        #expect(!OFREPBulkETag.matches(ifNoneMatch: nil, etag: tag))
        #expect(!OFREPBulkETag.matches(ifNoneMatch: "*", etag: tag))
        #expect(!OFREPBulkETag.matches(ifNoneMatch: String(tag.dropFirst().dropLast()), etag: tag))
    }

    @Test func errorBodiesAreHTMLSafeLikeGo() {
        var w = JSONWriter()
        w.ofrepError(key: "<a>", code: "FLAG_NOT_FOUND", details: "flag was not found <a>")
        #expect(w.string == #"{"key":"\u003ca\u003e","errorCode":"FLAG_NOT_FOUND","errorDetails":"flag was not found \u003ca\u003e"}"#)
        var noKey = JSONWriter()
        noKey.ofrepError(key: "", code: "INVALID_CONTEXT", details: "x")
        #expect(noKey.string == #"{"errorCode":"INVALID_CONTEXT","errorDetails":"x"}"#)
        #expect(!noKey.htmlSafe)
    }
}
