import Crypto
import Foundation
import SyncCore
import Testing
@testable import ServerStore

@Suite("Attachment files")
struct AttachmentStoreTests {
    static let bytes: [UInt8] = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
    static let digest = AttachmentDigest(Crypto.SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined())!

    @Test("a crash in the middle of a chunk leaves a prefix the client resumes from")
    func resumesFromWhatReachedTheDisk() async throws {
        let directory = try TemporaryDirectory()
        let store = try FileAttachmentStore(directory: directory.path)
        _ = try await store.append(Array(Self.bytes[0..<4_000]), at: 0, size: 10_000, to: Self.digest)
        // Simulate a crash after part of the next chunk was written.
        let part = (directory.path as NSString).appendingPathComponent("partial/\(Self.digest.hex).part")
        let handle = try #require(FileHandle(forWritingAtPath: part))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(Self.bytes[4_000..<4_500]))
        try handle.close()

        let reopened = try FileAttachmentStore(directory: directory.path)
        let status = try #require(try await reopened.status(of: Self.digest))
        #expect(status.receivedBytes == 4_500 && !status.complete)
        await #expect(throws: AttachmentStoreError.outOfOrder(received: 4_500)) {
            try await reopened.append(Array(Self.bytes[4_000..<8_000]), at: 4_000, size: 10_000, to: Self.digest)
        }
        let done = try await reopened.append(Array(Self.bytes[4_500...]), at: 4_500, size: 10_000, to: Self.digest)
        #expect(done.complete)
        let file = try #require(await reopened.completedFile(Self.digest))
        #expect(try Data(contentsOf: URL(fileURLWithPath: file.path)) == Data(Self.bytes))
        // A retry after completion is answered with the status; another size is refused.
        #expect(try await reopened.append(Array(Self.bytes[0..<10]), at: 0, size: 10_000, to: Self.digest).complete)
        await #expect(throws: AttachmentStoreError.sizeMismatch(declared: 10_000)) {
            try await reopened.append([1], at: 0, size: 5, to: Self.digest)
        }
    }

    @Test("only 64 lowercase hex digits name an attachment")
    func digestsAreStrict() {
        #expect(AttachmentDigest(String(repeating: "0", count: 64)) != nil)
        for name in ["", "../" + String(repeating: "a", count: 61), String(repeating: "A", count: 64),
                     String(repeating: "a", count: 65), String(repeating: "g", count: 64), String(repeating: "a", count: 63) + "/"] {
            #expect(AttachmentDigest(name) == nil, "\(name)")
        }
    }

    @Test("a record's sha256 fields are its attachment references")
    func referencesComeFromDigestFields() throws {
        var record = SyncRecord(kind: .callRecording, scope: RecordScope(ward: "W"))
        try record.apply(
            ["sha256": .set(.string(Self.digest.hex)), "transcriptSha256": .set(.string(String(repeating: "b", count: 64))),
             "note": .set(.string(String(repeating: "c", count: 64))), "checksumSha256": .set("not a digest")],
            dot: Dot(replica: "r", counter: 1), at: HybridTimestamp(wallMilliseconds: 0, logical: 0, replica: "r"))
        #expect(AttachmentReferences.digests(in: record) == [Self.digest.hex, String(repeating: "b", count: 64)])
    }
}
