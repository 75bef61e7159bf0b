/// A contiguous run in one of a `FlagProgram`'s pools.
struct PoolSpan: Sendable {
    var start: Int32
    var count: Int32

    static let empty = PoolSpan(start: 0, count: 0)

    var range: Range<Int> { Int(start)..<Int(start) + Int(count) }
}

/// The evaluation-time form of a constraint: a plain value (no references, so evaluating it never touches
/// reference counts). Operands live in the owning `FlagProgram`'s pools.
struct ConstraintProgram: Sendable {
    enum Operation: UInt8, Sendable {
        case unknownType, never, isBlank, isNotBlank
        case equals, notEquals, hasPrefix, hasSuffix, contains, notContains
        case isOneOfStrings, isNotOneOfStrings
        case number, isOneOfNumbers, isNotOneOfNumbers
        case boolean, dateTime
    }

    var operation: Operation
    /// Context slot to read: 0 is the entity ID, 1… are the flag's properties.
    var slot: Int32
    /// `bytes` run for string operands, `stringSpans` run for string lists, `numbers` run for number lists.
    var operand: PoolSpan = .empty
    var comparison: ConstraintTest.OrderedComparison = .equal
    var number: Double = 0
    var instant = DateTimeInstant(seconds: 0)
    /// For `.boolean`: the value the `true`/`false` operator expects.
    var expectedBool = false

    /// Lowers a compiled test, appending its operands to the pools.
    init(_ test: ConstraintTest, slot: Int32, pools: inout ProgramPools) {
        self.slot = slot
        switch test {
        case .unknownType: operation = .unknownType
        case .never: operation = .never
        case .isBlank: operation = .isBlank
        case .isNotBlank: operation = .isNotBlank
        case .equals(let bytes): operation = .equals; operand = pools.append(bytes: bytes)
        case .notEquals(let bytes): operation = .notEquals; operand = pools.append(bytes: bytes)
        case .hasPrefix(let bytes): operation = .hasPrefix; operand = pools.append(bytes: bytes)
        case .hasSuffix(let bytes): operation = .hasSuffix; operand = pools.append(bytes: bytes)
        case .contains(let bytes): operation = .contains; operand = pools.append(bytes: bytes)
        case .notContains(let bytes): operation = .notContains; operand = pools.append(bytes: bytes)
        case .isOneOfStrings(let set): operation = .isOneOfStrings; operand = pools.append(sortedStrings: set)
        case .isNotOneOfStrings(let set): operation = .isNotOneOfStrings; operand = pools.append(sortedStrings: set)
        case .number(let comparison, let value):
            operation = .number
            self.comparison = comparison
            number = value
        case .isOneOfNumbers(let list): operation = .isOneOfNumbers; operand = pools.append(numbers: list)
        case .isNotOneOfNumbers(let list): operation = .isNotOneOfNumbers; operand = pools.append(numbers: list)
        case .boolean(let expected): operation = .boolean; expectedBool = expected
        case .dateTime(let comparison, let value):
            operation = .dateTime
            self.comparison = comparison
            instant = value
        }
    }

    /// Whether the context value `v` (UTF-8; `""` when the key is missing) satisfies the constraint.
    /// Never called for `.unknownType`, which the enclosing group turns into an error first.
    @inline(__always)
    func matches(_ v: UnsafeBufferPointer<UInt8>, in program: FlagProgram) -> Bool {
        switch operation {
        case .unknownType, .never: return false
        case .isBlank: return GoStrings.isBlank(v)
        case .isNotBlank: return !GoStrings.isBlank(v)
        default: break
        }
        // Every other operator is false on an empty (untrimmed) value, including the negative ones.
        guard !v.isEmpty else { return false }
        switch operation {
        case .equals: return GoStrings.equal(v, program.bytes(operand))
        case .notEquals: return !GoStrings.equal(v, program.bytes(operand))
        case .hasPrefix: return GoStrings.hasPrefix(v, GoStrings.trimmedRange(v), program.bytes(operand))
        case .hasSuffix: return GoStrings.hasSuffix(v, GoStrings.trimmedRange(v), program.bytes(operand))
        case .contains: return GoStrings.contains(v, program.bytes(operand))
        case .notContains: return !GoStrings.contains(v, program.bytes(operand))
        case .isOneOfStrings: return program.sortedStrings(operand, contain: v)
        case .isNotOneOfStrings: return !program.sortedStrings(operand, contain: v)
        case .number:
            guard let n = GoFloatParser.parse(bytes: v) else { return false }
            return comparison.holds(n, number)
        case .isOneOfNumbers, .isNotOneOfNumbers:
            guard let n = GoFloatParser.parse(bytes: v) else { return false }
            let found = program.numbers(operand).contains(n)
            return operation == .isOneOfNumbers ? found : !found
        case .boolean:
            guard let parsed = GoStrings.parseBool(bytes: v) else { return false }
            return parsed == expectedBool
        case .dateTime:
            guard let parsed = GoDateTime.parse(bytes: v) else { return false }
            return comparison.holds(parsed, instant)
        case .unknownType, .never, .isBlank, .isNotBlank:
            return false
        }
    }
}

/// The growable pools a flag's constraint operands are lowered into.
struct ProgramPools {
    var bytes: [UInt8] = []
    /// Sorted (byte order) runs of `bytes`, one per `isoneof` string element.
    var stringSpans: [PoolSpan] = []
    var numbers: [Double] = []

    mutating func append(bytes newBytes: [UInt8]) -> PoolSpan {
        let span = PoolSpan(start: Int32(bytes.count), count: Int32(newBytes.count))
        bytes.append(contentsOf: newBytes)
        return span
    }

    mutating func append(sortedStrings set: SortedByteStrings) -> PoolSpan {
        let spans = set.elements.map { append(bytes: $0) }
        let run = PoolSpan(start: Int32(stringSpans.count), count: Int32(spans.count))
        stringSpans.append(contentsOf: spans)
        return run
    }

    mutating func append(numbers list: [Double]) -> PoolSpan {
        let run = PoolSpan(start: Int32(numbers.count), count: Int32(list.count))
        numbers.append(contentsOf: list)
        return run
    }
}

extension FlagProgram {
    @inline(__always)
    func bytes(_ span: PoolSpan) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytePool[span.range])
    }

    @inline(__always)
    func numbers(_ span: PoolSpan) -> UnsafeBufferPointer<Double> {
        UnsafeBufferPointer(rebasing: numberPool[span.range])
    }

    /// Binary search over a sorted run of string spans (Go `==` membership).
    func sortedStrings(_ run: PoolSpan, contain value: UnsafeBufferPointer<UInt8>) -> Bool {
        var low = Int(run.start)
        var high = low + Int(run.count)
        while low < high {
            let middle = (low + high) / 2
            let order = GoStrings.compare(bytes(stringSpanPool[middle]), value)
            if order == 0 { return true }
            if order < 0 { low = middle + 1 } else { high = middle }
        }
        return false
    }
}
