/// Parsers for the JSON arrays of `isoneof`/`isnotoneof` constraint values, decoded the way Go's
/// `encoding/json` decodes them into `[]string` and `[]float64`.
public enum ConstraintValueList {
    /// A JSON array of strings. `null` is an empty list, a `null` element decodes as `""` (Go leaves the
    /// zero value), anything else (invalid JSON, a non-array, a non-string element) gives `nil`.
    public static func strings(_ text: String) -> [String]? {
        guard let document = try? JSONParser.parse(text) else { return nil }
        switch document {
        case .null:
            return []
        case .array(let elements):
            var values: [String] = []
            values.reserveCapacity(elements.count)
            for element in elements {
                switch element {
                case .string(let value): values.append(value)
                case .null: values.append("")
                default: return nil
                }
            }
            return values
        default:
            return nil
        }
    }

    /// A JSON array of numbers as float64. `null` is an empty list, a `null` element decodes as `0`;
    /// invalid JSON, a non-array, a non-number element or a number outside the float64 range gives `nil`.
    public static func numbers(_ text: String) -> [Double]? {
        guard let document = try? JSONParser.parse(text) else { return nil }
        switch document {
        case .null:
            return []
        case .array(let elements):
            var values: [Double] = []
            values.reserveCapacity(elements.count)
            for element in elements {
                switch element {
                case .number(let value, _) where value.isFinite: values.append(value)
                case .null: values.append(0)
                default: return nil
                }
            }
            return values
        default:
            return nil
        }
    }
}

/// The distinct elements of a string list as UTF-8, sorted in byte order (Go's string order), ready for
/// binary search with Go `==` semantics (no Unicode canonical equivalence).
struct SortedByteStrings: Sendable {
    let elements: [[UInt8]]

    init(_ strings: [String]) {
        let unique = Set(strings.map { Array($0.utf8) })
        elements = unique.sorted { lhs, rhs in
            lhs.withUnsafeBufferPointer { l in rhs.withUnsafeBufferPointer { r in GoStrings.compare(l, r) < 0 } }
        }
    }
}
