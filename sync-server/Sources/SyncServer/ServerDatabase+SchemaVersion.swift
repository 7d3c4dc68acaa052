import GRDB
import ServerStore

extension ServerDatabase {
    /// The database's schema version: how many schema steps (migrations) it has been
    /// through. Opening brings a database up to this server's schema, so after a
    /// successful open this is the version this build writes; `/health` reports it so an
    /// operator can tell which schema a backup will need.
    public func schemaVersion() async throws -> Int {
        try await writer.read { db in try DatabaseMigrator().appliedIdentifiers(db).count }
    }
}
