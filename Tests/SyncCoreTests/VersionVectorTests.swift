import Testing
@testable import SyncCore

@Suite struct VersionVectorTests {
    let a: ReplicaID = "a", b: ReplicaID = "b"

    @Test func coversDotsUpToItsCounter() {
        let vector = VersionVector([a: 3])
        #expect(vector.covers(Dot(replica: a, counter: 3)))
        #expect(vector.covers(Dot(replica: a, counter: 1)))
        #expect(!vector.covers(Dot(replica: a, counter: 4)))
        #expect(!vector.covers(Dot(replica: b, counter: 1)))
    }

    @Test func joinIsPointwiseMaximum() {
        let joined = VersionVector([a: 3, b: 1]).joined(with: VersionVector([a: 2, b: 5]))
        #expect(joined == VersionVector([a: 3, b: 5]))
    }

    @Test func zeroCountersAreNotStored() {
        #expect(VersionVector([a: 0]) == VersionVector())
    }

    @Test func concurrencyNeedsEachSideToHaveSeenSomethingNew() {
        #expect(VersionVector([a: 1]).isConcurrent(with: VersionVector([b: 1])))
        #expect(!VersionVector([a: 1]).isConcurrent(with: VersionVector([a: 2])))
        #expect(VersionVector([a: 1]).isCovered(by: VersionVector([a: 2, b: 1])))
    }
}
