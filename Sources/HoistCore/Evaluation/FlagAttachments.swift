import Synchronization

/// One slot per flag of an ``EvaluationSnapshot`` where an observer keeps an object of its own
/// (Hoist's metrics keep each flag's counter and histogram handles there), so a hot path reaches it
/// by the flag's position instead of hashing label strings under a shared lock. Each slot is
/// written at most once (the first writer wins) and is released with the snapshot.
public final class FlagAttachments: @unchecked Sendable {
    // @unchecked: `slots` is a fixed buffer of atomics, allocated in init and freed in deinit; each
    // holds 0 or the bits of a +1-retained object pointer, published by compare-exchange.
    private let slots: UnsafeMutablePointer<Atomic<UInt>>
    /// Number of slots (the snapshot's flag count).
    public let count: Int

    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: max(count, 1))
        for index in 0..<count { (slots + index).initialize(to: Atomic(0)) }
    }

    deinit {
        for index in 0..<count {
            let bits = slots[index].load(ordering: .acquiring)
            if let pointer = UnsafeRawPointer(bitPattern: bits) { Unmanaged<AnyObject>.fromOpaque(pointer).release() }
        }
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    /// The object attached to the flag at `position`, if any.
    public func object(at position: Int) -> AnyObject? {
        precondition(position >= 0 && position < count, "flag position out of range")
        let bits = slots[position].load(ordering: .acquiring)
        guard let pointer = UnsafeRawPointer(bitPattern: bits) else { return nil }
        return Unmanaged<AnyObject>.fromOpaque(pointer).takeUnretainedValue()
    }

    /// Attaches `object` to the flag at `position` unless another caller got there first; returns
    /// the object that is attached from now on.
    public func attach(_ object: AnyObject, at position: Int) -> AnyObject {
        precondition(position >= 0 && position < count, "flag position out of range")
        let retained = Unmanaged.passRetained(object)
        let bits = UInt(bitPattern: retained.toOpaque())
        let (stored, existing) = slots[position].compareExchange(
            expected: 0, desired: bits, ordering: .acquiringAndReleasing)
        if stored { return object }
        retained.release()
        return Unmanaged<AnyObject>.fromOpaque(UnsafeRawPointer(bitPattern: existing)!).takeUnretainedValue()
    }
}
