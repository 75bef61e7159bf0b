/// A first-in-first-out queue of decisions with a hard size limit: appending to a full ring
/// overwrites the oldest entry. Storage grows by doubling up to the limit, so an idle server with
/// a large `buffer_size_limit_events` holds no more memory than it uses.
///
/// Not thread-safe on its own; ``DecisionLogBuffer`` guards it with a lock.
struct DecisionRing {
    private(set) var storage: [DecisionRecord?] = []
    private var head = 0
    private(set) var count = 0
    let limit: Int

    init(limit: Int) {
        precondition(limit > 0, "decision ring limit must be positive")
        self.limit = limit
    }

    /// Appends `record`; returns true when the oldest entry had to be dropped to make room.
    mutating func append(_ record: DecisionRecord) -> Bool {
        if count == storage.count && storage.count < limit { grow() }
        if count == limit {
            storage[head] = record
            head = (head + 1) % storage.count
            return true
        }
        storage[(head + count) % storage.count] = record
        count += 1
        return false
    }

    /// Removes and returns up to `maximum` entries, oldest first.
    mutating func removeFirst(upTo maximum: Int) -> [DecisionRecord] {
        let taken = min(maximum, count)
        var out: [DecisionRecord] = []
        out.reserveCapacity(taken)
        for _ in 0..<taken {
            out.append(storage[head].take()!)  // moved out: no copy, no retain/release
            head = (head + 1) % storage.count
            count -= 1
        }
        if count == 0 { head = 0 }
        return out
    }

    /// Puts `records` (oldest first) back in front of the queue, as if never taken. When the result
    /// would exceed the limit the oldest entries are dropped; returns how many.
    mutating func prepend(_ records: [DecisionRecord]) -> Int {
        let keep = Array(records.suffix(max(0, limit - count)))
        let dropped = records.count - keep.count
        let rest = removeFirst(upTo: count)
        for record in keep + rest { _ = append(record) }
        return dropped
    }

    private mutating func grow() {
        let newSize = Swift.min(limit, Swift.max(16, storage.count * 2))
        var grown = [DecisionRecord?](repeating: nil, count: newSize)
        for i in 0..<count { grown[i] = storage[(head + i) % storage.count] }
        storage = grown
        head = 0
    }
}
