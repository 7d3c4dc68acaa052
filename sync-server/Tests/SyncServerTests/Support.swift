import Foundation
import ServerStore
import SyncCore
@testable import SyncServer

/// A directory under the system's temporary directory, removed when the test ends.
final class TemporaryDirectory: Sendable {
    let path: String

    init() throws {
        path = (NSTemporaryDirectory() as NSString)
            .appendingPathComponent("homeward-syncserver-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// A store whose database has gone away (disk unmounted, file deleted under it): every
/// read fails. Health must report that rather than crash or claim all is well.
struct UnreadableStore: RecordStore {
    struct DiskGone: Error {}

    let serverReplica: ReplicaID = "server-unreadable"

    func applyPush(_ batch: PushBatch, policy: PushPolicy, auditAs actor: AuditActor?) async throws -> PushResult {
        throw DiskGone()
    }
    func refersToAttachment(_ digest: AttachmentDigest, scope: AccessScope) async throws -> Bool { throw DiskGone() }
    func pull(_ request: PullRequest, scope: AccessScope) async throws -> PullPage { throw DiskGone() }
    func conflicts(scope: AccessScope, after: UUID?, limit: Int) async throws -> ConflictListing { throw DiskGone() }
    func record(id: UUID, scope: AccessScope) async throws -> SyncRecord? { throw DiskGone() }
    func records(scope: AccessScope) async throws -> [SyncRecord] { throw DiskGone() }
    func recordCount() async throws -> Int { throw DiskGone() }
    func latestCursor() async throws -> ChangeCursor { throw DiskGone() }
    func seed(drafts: [RecordDraft], at date: Date) async throws -> SeedSummary { throw DiskGone() }
    func seed(records: [SyncRecord]) async throws -> SeedSummary { throw DiskGone() }
}
