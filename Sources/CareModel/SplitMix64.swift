/// A small, fast pseudo-random generator with a fixed algorithm (SplitMix64, Steele,
/// Lea and Flood 2014), for data that must be the same on every machine and every Swift
/// release: demo hospitals, simulations, property-test fixtures.
///
/// The standard library's `random(in:using:)` and `shuffled(using:)` are not promised to
/// draw the same numbers across releases, so the helpers here implement their own
/// sampling on top of ``next()``.
///
/// ```swift
/// var random = SplitMix64(seed: 42)
/// let die = random.int(in: 1...6)
/// ```
public struct SplitMix64: Sendable, Hashable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    /// An independent stream for item `index` of a sequence seeded with `seed`, so item 7 is
    /// the same whether 10 or 10 000 items are generated.
    public init(seed: UInt64, stream index: UInt64) {
        state = SplitMix64.mix(seed ^ SplitMix64.mix(index &+ 0x632B_E59B_D9B4_E019))
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.mix(state)
    }

    /// The SplitMix64 output function: a bijective avalanche of 64 bits.
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `range`, without modulo bias (Lemire's multiply-and-reject).
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        let span = UInt64(bitPattern: Int64(range.upperBound &- range.lowerBound)) &+ 1
        if span == 0 { return Int(truncatingIfNeeded: next()) }  // the full 64-bit range
        let threshold = (0 &- span) % span
        while true {
            let (high, low) = span.multipliedFullWidth(by: next())
            if low >= threshold { return range.lowerBound &+ Int(truncatingIfNeeded: high) }
        }
    }

    /// True with probability `percent`/100.
    public mutating func chance(percent: Int) -> Bool {
        int(in: 0...99) < percent
    }

    /// A uniformly chosen element; `elements` must not be empty.
    public mutating func element<C: RandomAccessCollection>(of elements: C) -> C.Element {
        precondition(!elements.isEmpty, "cannot choose from an empty collection")
        let offset = int(in: 0...(elements.count - 1))
        return elements[elements.index(elements.startIndex, offsetBy: offset)]
    }

    /// An element chosen with probability proportional to its integer weight.
    public mutating func weightedElement<T>(of choices: [(T, weight: Int)]) -> T {
        let total = choices.reduce(0) { $0 + max(0, $1.weight) }
        precondition(total > 0, "cannot choose when every weight is zero")
        var ticket = int(in: 0...(total - 1))
        for (value, weight) in choices where weight > 0 {
            if ticket < weight { return value }
            ticket -= weight
        }
        preconditionFailure("unreachable: the ticket is below the total weight")
    }

    /// The elements in a uniformly random order (Fisher–Yates).
    public mutating func shuffled<T>(_ elements: [T]) -> [T] {
        var result = elements
        var index = result.count - 1
        while index > 0 {
            result.swapAt(index, int(in: 0...index))
            index -= 1
        }
        return result
    }

    /// A version 4 UUID whose 122 random bits come from this generator.
    public mutating func uuid() -> UUIDBytes {
        let high = next(), low = next()
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<8 {
            bytes[i] = UInt8(truncatingIfNeeded: high >> (56 - 8 * UInt64(i)))
            bytes[8 + i] = UInt8(truncatingIfNeeded: low >> (56 - 8 * UInt64(i)))
        }
        bytes[6] = (bytes[6] & 0x0F) | 0x40  // version 4
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 4122 variant
        return UUIDBytes(bytes: bytes)
    }
}

/// Sixteen UUID bytes; a separate type so SplitMix64 itself needs no Foundation.
public struct UUIDBytes: Sendable, Hashable {
    public let bytes: [UInt8]
}

/// Choices with integer weights, prepared once so that drawing is a binary search.
///
/// Draws the same element as ``SplitMix64/weightedElement(of:)`` for the same generator
/// state: one ticket below the total weight, mapped onto the weights in order.
public struct WeightedChoices<Element>: Sendable where Element: Sendable {
    public let elements: [Element]
    private let cumulativeWeights: [Int]

    public init(_ choices: [(Element, weight: Int)]) {
        var elements: [Element] = []
        var cumulative: [Int] = []
        var total = 0
        for (element, weight) in choices where weight > 0 {
            total += weight
            elements.append(element)
            cumulative.append(total)
        }
        precondition(total > 0, "cannot choose when every weight is zero")
        self.elements = elements
        cumulativeWeights = cumulative
    }

    public var totalWeight: Int { cumulativeWeights.last! }

    /// The element whose weight interval holds `ticket` (0 ≤ ticket < ``totalWeight``).
    func element(forTicket ticket: Int) -> Element {
        var low = 0, high = cumulativeWeights.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulativeWeights[middle] > ticket { high = middle } else { low = middle + 1 }
        }
        return elements[low]
    }
}

extension SplitMix64 {
    public mutating func element<T>(of choices: WeightedChoices<T>) -> T {
        choices.element(forTicket: int(in: 0...(choices.totalWeight - 1)))
    }
}
