/// Decodes evaluation requests straight from the body bytes, with the leniency of Flipt's jsonpb
/// decoder (camelCase or snake_case with the JSON name winning, `null` as absent, unknown fields
/// skipped, empty body as `{}`) but without building a JSON tree: the hot path of every SDK call.
public enum EvaluationRequestDecoder {
    /// grpc-gateway's message for a value of the wrong JSON type.
    public static let wrongTypeMessage = "invalid values for key(s) in json body"

    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(HoistError) -> EvaluationRequest {
        var reader = Reader(bytes.bindMemory(to: UInt8.self))
        guard try reader.beginTopLevelObject() else { return EvaluationRequest() }
        let request = try reader.readRequestMembers()
        try reader.finish()
        return request
    }

    public static func decodeBatch(_ bytes: UnsafeRawBufferPointer) throws(HoistError) -> BatchEvaluationRequest {
        var reader = Reader(bytes.bindMemory(to: UInt8.self))
        var batch = BatchEvaluationRequest()
        guard try reader.beginTopLevelObject() else { return batch }
        var requestId = Slot<String>(), namespace = Slot<String>(), exclude = Slot<Bool>()
        var requests: [EvaluationRequest]? = nil
        try reader.members { reader, key throws(HoistError) in
            switch key {
            case "requestId", "request_id": try reader.readString(into: &requestId, jsonName: key == "requestId")
            case "namespaceKey", "namespace_key": try reader.readString(into: &namespace, jsonName: key == "namespaceKey")
            case "excludeNotFound", "exclude_not_found":
                try reader.readBool(into: &exclude, jsonName: key == "excludeNotFound")
            case "requests": requests = try reader.readRequestArray()
            default: try reader.skipValue()
            }
        }
        try reader.finish()
        batch.requestId = try requestId.resolved("")
        batch.namespaceKey = try namespace.resolved("")
        batch.excludeNotFound = try exclude.resolved(false)
        batch.requests = requests ?? []
        return batch
    }

    /// A field that may arrive under its JSON name or proto name; the JSON name wins.
    struct Slot<Value> {
        var value: Value?
        var wrongType = false
        var fromJSONName = false

        mutating func set(_ newValue: Value?, wrongType bad: Bool, jsonName: Bool) {
            guard jsonName || !fromJSONName else { return }
            value = newValue
            wrongType = bad
            fromJSONName = jsonName
        }

        func resolved(_ fallback: Value) throws(HoistError) -> Value {
            if wrongType { throw .invalid(EvaluationRequestDecoder.wrongTypeMessage) }
            return value ?? fallback
        }
    }

    struct Reader {
        var parser: JSONParser

        init(_ bytes: UnsafeBufferPointer<UInt8>) { parser = JSONParser(bytes) }

        func fail(_ error: JSONParser.Error) -> HoistError { .invalid(error.description) }

        var current: UInt8? { parser.index < parser.bytes.count ? parser.bytes[parser.index] : nil }

        /// True when positioned inside a top-level object; false for an empty body or `null`.
        mutating func beginTopLevelObject() throws(HoistError) -> Bool {
            parser.skipSpace()
            guard let byte = current else { return false }
            if byte == UInt8(ascii: "n") {
                do { try parser.expectWord("null") } catch { throw fail(error) }
                return false
            }
            guard byte == UInt8(ascii: "{") else {
                do { _ = try parser.parseValue(depth: 0) } catch { throw fail(error) }
                throw .invalid(wrongTypeMessage)
            }
            return true
        }

        mutating func finish() throws(HoistError) {
            parser.skipSpace()
            if parser.index != parser.bytes.count { throw fail(parser.error("invalid character after top-level value")) }
        }

        /// Iterates the members of the object at the cursor, handing each key to `body`.
        mutating func members(_ body: (inout Reader, String) throws(HoistError) -> Void) throws(HoistError) {
            do {
                parser.index += 1
                parser.skipSpace()
                if current == UInt8(ascii: "}") {
                    parser.index += 1
                    return
                }
                while true {
                    parser.skipSpace()
                    guard current == UInt8(ascii: "\"") else { throw parser.error("expected object key string") }
                    let key = try parser.parseString()
                    parser.skipSpace()
                    guard current == UInt8(ascii: ":") else { throw parser.error("expected ':' after object key") }
                    parser.index += 1
                    parser.skipSpace()
                    try body(&self, key)
                    parser.skipSpace()
                    if current == UInt8(ascii: ",") {
                        parser.index += 1
                    } else if current == UInt8(ascii: "}") {
                        parser.index += 1
                        return
                    } else {
                        throw parser.error(current == nil ? "unexpected end of JSON input" : "expected ',' or '}' after object value")
                    }
                }
            } catch let error as JSONParser.Error {
                throw fail(error)
            } catch let error as HoistError {
                throw error
            } catch {
                throw .internal("\(error)")
            }
        }

        mutating func skipValue() throws(HoistError) {
            do { _ = try parser.parseValue(depth: 1) } catch { throw fail(error) }
        }

        /// Reads a value for a string field: a string sets it, `null` leaves it, anything else is a type error.
        mutating func readString(into slot: inout Slot<String>, jsonName: Bool) throws(HoistError) {
            do {
                switch current {
                case UInt8(ascii: "\""): slot.set(try parser.parseString(), wrongType: false, jsonName: jsonName)
                case UInt8(ascii: "n"):
                    // `null` unsets the field; under the JSON name it still beats the proto name.
                    try parser.expectWord("null")
                    slot.set(nil, wrongType: false, jsonName: jsonName)
                default:
                    _ = try parser.parseValue(depth: 1)
                    slot.set(nil, wrongType: true, jsonName: jsonName)
                }
            } catch { throw fail(error) }
        }

        mutating func readBool(into slot: inout Slot<Bool>, jsonName: Bool) throws(HoistError) {
            do {
                switch try parser.parseValue(depth: 1) {
                case .bool(let b): slot.set(b, wrongType: false, jsonName: jsonName)
                case .string("true"): slot.set(true, wrongType: false, jsonName: jsonName)
                case .string("false"): slot.set(false, wrongType: false, jsonName: jsonName)
                case .null: slot.set(nil, wrongType: false, jsonName: jsonName)
                default: slot.set(nil, wrongType: true, jsonName: jsonName)
                }
            } catch { throw fail(error) }
        }

        /// The members of one request object (cursor on its `{`).
        mutating func readRequestMembers() throws(HoistError) -> EvaluationRequest {
            var requestId = Slot<String>(), namespace = Slot<String>(), flag = Slot<String>(), entity = Slot<String>()
            var context: [String: String] = [:]
            try members { reader, key throws(HoistError) in
                switch key {
                case "flagKey", "flag_key": try reader.readString(into: &flag, jsonName: key == "flagKey")
                case "entityId", "entity_id": try reader.readString(into: &entity, jsonName: key == "entityId")
                case "context": context = try reader.readContext()
                case "requestId", "request_id": try reader.readString(into: &requestId, jsonName: key == "requestId")
                case "namespaceKey", "namespace_key": try reader.readString(into: &namespace, jsonName: key == "namespaceKey")
                default: try reader.skipValue()
                }
            }
            return EvaluationRequest(
                requestId: try requestId.resolved(""), namespaceKey: try namespace.resolved(""),
                flagKey: try flag.resolved(""), entityId: try entity.resolved(""), context: context)
        }

        /// `map<string,string>`: string values, `null` as `""`; the map itself may be `null`.
        mutating func readContext() throws(HoistError) -> [String: String] {
            if current == UInt8(ascii: "n") {
                do { try parser.expectWord("null") } catch { throw fail(error) }
                return [:]
            }
            guard current == UInt8(ascii: "{") else {
                try skipValue()
                throw .invalid(wrongTypeMessage)
            }
            var context: [String: String] = [:]
            try members { reader, key throws(HoistError) in
                do {
                    switch reader.current {
                    case UInt8(ascii: "\""): context[key] = try reader.parser.parseString()
                    case UInt8(ascii: "n"):
                        try reader.parser.expectWord("null")
                        context[key] = ""
                    default:
                        _ = try reader.parser.parseValue(depth: 1)
                        throw HoistError.invalid(wrongTypeMessage)
                    }
                } catch let error as JSONParser.Error {
                    throw reader.fail(error)
                } catch let error as HoistError {
                    throw error
                } catch {
                    throw .internal("\(error)")
                }
            }
            return context
        }

        mutating func readRequestArray() throws(HoistError) -> [EvaluationRequest] {
            if current == UInt8(ascii: "n") {
                do { try parser.expectWord("null") } catch { throw fail(error) }
                return []
            }
            guard current == UInt8(ascii: "[") else {
                try skipValue()
                throw .invalid(wrongTypeMessage)
            }
            var requests: [EvaluationRequest] = []
            parser.index += 1
            parser.skipSpace()
            if current == UInt8(ascii: "]") {
                parser.index += 1
                return requests
            }
            while true {
                parser.skipSpace()
                if current == UInt8(ascii: "{") {
                    requests.append(try readRequestMembers())
                } else {
                    try skipValue()
                    throw .invalid(wrongTypeMessage)
                }
                parser.skipSpace()
                if current == UInt8(ascii: ",") {
                    parser.index += 1
                } else if current == UInt8(ascii: "]") {
                    parser.index += 1
                    return requests
                } else {
                    throw fail(parser.error("expected ',' or ']' after array element"))
                }
            }
        }
    }
}
