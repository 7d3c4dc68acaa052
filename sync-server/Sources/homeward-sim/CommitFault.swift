import GRDB
import Synchronization

/// A process dying in the middle of a transaction, injected at the last moment before
/// SQLite commits: everything the transaction did is rolled back, exactly as when the
/// process is killed before the commit reaches the journal.
///
/// Installed once on each simulated database; `arm()` makes the next commit fail.
final class CommitFault: TransactionObserver, Sendable {
    private let armed = Atomic<Bool>(false)

    func arm() { armed.store(true, ordering: .relaxed) }

    /// Withdraws an arming that no commit consumed (the transaction wrote nothing).
    func disarm() { armed.store(false, ordering: .relaxed) }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }
    func databaseDidChange(with event: DatabaseEvent) {}
    func databaseDidCommit(_ db: Database) {}
    func databaseDidRollback(_ db: Database) {}

    func databaseWillCommit() throws {
        if armed.exchange(false, ordering: .relaxed) { throw SimulatedCrash() }
    }
}

/// The error a ``CommitFault`` throws: the process is gone.
struct SimulatedCrash: Error {}
