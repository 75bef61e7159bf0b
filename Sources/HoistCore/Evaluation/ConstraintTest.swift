/// A constraint with its value parsed once, at snapshot compilation, into the test it performs on a
/// context value (lowered to a `ConstraintProgram` for evaluation). Semantics follow Flipt's
/// `matchesString`, `matchesNumber`, `matchesBool` and `matchesDateTime` (spec §3.4).
enum ConstraintTest: Sendable {
    /// The constraint type is not known: reaching it fails the evaluation (`unknown constraint type`).
    case unknownType
    /// An unknown operator or an unparsable constraint value: never matches.
    case never
    /// `empty` (string), `notpresent` (number, boolean, datetime): `TrimSpace(v) == ""`.
    case isBlank
    /// `notempty` (string), `present` (number, boolean, datetime): `TrimSpace(v) != ""`.
    case isNotBlank
    case equals([UInt8])
    case notEquals([UInt8])
    /// `TrimSpace(v)` starts with the bytes.
    case hasPrefix([UInt8])
    /// `TrimSpace(v)` ends with the bytes.
    case hasSuffix([UInt8])
    case contains([UInt8])
    case notContains([UInt8])
    case isOneOfStrings(SortedByteStrings)
    case isNotOneOfStrings(SortedByteStrings)
    case number(OrderedComparison, Double)
    case isOneOfNumbers([Double])
    case isNotOneOfNumbers([Double])
    /// `true` (expecting true) or `false` (expecting false) on a Go `ParseBool` value.
    case boolean(expected: Bool)
    case dateTime(OrderedComparison, DateTimeInstant)

    /// `eq`, `neq`, `lt`, `lte`, `gt`, `gte`, applied as `contextValue <op> constraintValue`.
    enum OrderedComparison: Sendable {
        case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual

        init?(operator name: String) {
            switch name {
            case "eq": self = .equal
            case "neq": self = .notEqual
            case "lt": self = .less
            case "lte": self = .lessOrEqual
            case "gt": self = .greater
            case "gte": self = .greaterOrEqual
            default: return nil
            }
        }

        @inline(__always)
        func holds<Value: Comparable>(_ lhs: Value, _ rhs: Value) -> Bool {
            switch self {
            case .equal: lhs == rhs
            case .notEqual: lhs != rhs
            case .less: lhs < rhs
            case .lessOrEqual: lhs <= rhs
            case .greater: lhs > rhs
            case .greaterOrEqual: lhs >= rhs
            }
        }
    }

    /// Compiles one stored constraint. Operators are compared exactly (they are stored lower-case).
    init(type: ComparisonType, operator rawOperator: String, value: String) {
        // Only an all-ASCII operator can name a known operator; for ASCII, Swift `==` is byte equality.
        let name = rawOperator.utf8.allSatisfy { $0 < 0x80 } ? rawOperator : "\u{FFFD}"
        switch type {
        case .unknown:
            self = .unknownType
        case .string, .entityId:
            self = Self.stringTest(name, value)
        case .number:
            self = Self.numberTest(name, value)
        case .boolean:
            switch name {
            case "present": self = .isNotBlank
            case "notpresent": self = .isBlank
            case "true": self = .boolean(expected: true)
            case "false": self = .boolean(expected: false)
            default: self = .never
            }
        case .datetime:
            switch name {
            case "present": self = .isNotBlank
            case "notpresent": self = .isBlank
            default:
                if let comparison = OrderedComparison(operator: name), let instant = GoDateTime.parse(value) {
                    self = .dateTime(comparison, instant)
                } else {
                    self = .never
                }
            }
        }
    }

    private static func stringTest(_ name: String, _ value: String) -> ConstraintTest {
        let bytes = Array(value.utf8)
        switch name {
        case "empty": return .isBlank
        case "notempty": return .isNotBlank
        case "eq": return .equals(bytes)
        case "neq": return .notEquals(bytes)
        case "prefix": return .hasPrefix(bytes)
        case "suffix": return .hasSuffix(bytes)
        case "contains": return .contains(bytes)
        case "notcontains": return .notContains(bytes)
        case "isoneof", "isnotoneof":
            guard let list = ConstraintValueList.strings(value) else { return .never }
            let set = SortedByteStrings(list)
            return name == "isoneof" ? .isOneOfStrings(set) : .isNotOneOfStrings(set)
        default: return .never
        }
    }

    private static func numberTest(_ name: String, _ value: String) -> ConstraintTest {
        switch name {
        case "present": return .isNotBlank
        case "notpresent": return .isBlank
        case "isoneof", "isnotoneof":
            guard let list = ConstraintValueList.numbers(value) else { return .never }
            return name == "isoneof" ? .isOneOfNumbers(list) : .isNotOneOfNumbers(list)
        default:
            guard let comparison = OrderedComparison(operator: name), let number = GoFloatParser.parse(value) else {
                return .never
            }
            return .number(comparison, number)
        }
    }
}
