import HoistCore
import Testing

@Suite struct EvaluationRequestDecoderTests {
    func decode(_ text: String) throws -> EvaluationRequest {
        try Array(text.utf8).withUnsafeBytes { raw in try EvaluationRequestDecoder.decode(raw) }
    }

    func decodeBatch(_ text: String) throws -> BatchEvaluationRequest {
        try Array(text.utf8).withUnsafeBytes { raw in try EvaluationRequestDecoder.decodeBatch(raw) }
    }

    func errorMessage(_ text: String) -> String? {
        do {
            _ = try decode(text)
            return nil
        } catch let error as HoistError {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    @Test func decodesEveryField() throws {
        let r = try decode(#"{"requestId":"r1","namespaceKey":"ns","flagKey":"f","entityId":"e","context":{"a":"1","b":null}}"#)
        #expect(r == EvaluationRequest(requestId: "r1", namespaceKey: "ns", flagKey: "f", entityId: "e", context: ["a": "1", "b": ""]))
    }

    @Test func acceptsSnakeCaseAndPrefersTheJSONName() throws {
        #expect(try decode(#"{"flag_key":"snake","entity_id":"e"}"#).flagKey == "snake")
        #expect(try decode(#"{"flagKey":"camel","flag_key":"snake"}"#).flagKey == "camel")
        #expect(try decode(#"{"flag_key":"snake","flagKey":"camel"}"#).flagKey == "camel")
        // A wrong type under the losing name does not matter; a null JSON name still wins and unsets the
        // field (jsonpb reads the proto name, then replaces it with the JSON name's raw value, null included).
        #expect(try decode(#"{"flagKey":"camel","flag_key":5}"#).flagKey == "camel")
        #expect(try decode(#"{"flagKey":null,"flag_key":"snake"}"#).flagKey == "")
        #expect(try decode(#"{"flag_key":"snake","flagKey":null}"#).flagKey == "")
    }

    @Test func emptyBodyNullAndUnknownFieldsAreDefaults() throws {
        #expect(try decode("") == EvaluationRequest())
        #expect(try decode("  null ") == EvaluationRequest())
        #expect(try decode(#"{"extra":{"deep":[1,{"x":null}]},"flagKey":"f"}"#).flagKey == "f")
        #expect(try decode(#"{"context":null}"#).context.isEmpty)
    }

    @Test func rejectsWrongTypesAndMalformedJSON() {
        let wrongType = EvaluationRequestDecoder.wrongTypeMessage
        #expect(errorMessage(#"{"flagKey":5}"#) == wrongType)
        #expect(errorMessage(#"{"context":{"a":1}}"#) == wrongType)
        #expect(errorMessage(#"{"context":{"a":true}}"#) == wrongType)
        #expect(errorMessage(#"{"context":["a"]}"#) == wrongType)
        #expect(errorMessage("[1,2]") == wrongType)
        #expect(errorMessage(#"{"flagKey":"f""#) != nil)
        #expect(errorMessage(#"{"flagKey":"f"} trailing"#) != nil)
        #expect(errorMessage(String(repeating: "[", count: 10_000)) != nil)
    }

    @Test func decodesEscapesInStrings() throws {
        let r = try decode(#"{"flagKey":"a\"b\u00e9\n","context":{"k\\":"\ud83d\ude00"}}"#)
        #expect(r.flagKey == "a\"bé\n")
        #expect(r.context["k\\"] == "😀")
    }

    @Test func decodesBatches() throws {
        let batch = try decodeBatch(
            #"{"request_id":"b","namespaceKey":"ns","excludeNotFound":true,"requests":[{"flagKey":"a"},{"flag_key":"b","context":{"x":"y"}}]}"#)
        #expect(batch.requestId == "b")
        #expect(batch.namespaceKey == "ns")
        #expect(batch.excludeNotFound)
        #expect(batch.requests.map(\.flagKey) == ["a", "b"])
        #expect(batch.requests[1].context == ["x": "y"])
        #expect(try decodeBatch("{}").requests.isEmpty)
        #expect(throws: HoistError.self) { try decodeBatch(#"{"requests":[1]}"#) }
        #expect(throws: HoistError.self) { try decodeBatch(#"{"requests":{}}"#) }
    }

    @Test func requestIdsAreUUIDv4() {
        let id = RequestID.random()
        let bytes = Array(id.utf8)
        #expect(bytes.count == 36)
        #expect([bytes[8], bytes[13], bytes[18], bytes[23]] == Array("----".utf8))
        #expect(bytes[14] == UInt8(ascii: "4"))
        #expect("89ab".utf8.contains(bytes[19]))
        #expect(RequestID.random() != id)
        #expect(Set((0..<10_000).map { _ in RequestID.random() }).count == 10_000)
    }
}
