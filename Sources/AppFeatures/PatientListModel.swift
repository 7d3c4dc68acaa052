import CareModel
import ClientStore
import Foundation

/// The patient list: the current query, the matching rows (as stable ids) and the
/// summaries the list rows show. No GTK here; the window binds to it.
///
/// Searching runs off the main thread and resumes on the main actor; a result that
/// arrives after a newer keystroke is dropped, so the list always matches the entry.
///
/// ```swift
/// let list = PatientListModel(directory: database.patients)
/// list.onChange = { change in … }
/// await list.search("zs")
/// ```
@MainActor
public final class PatientListModel {
    public enum Change: Sendable, Equatable {
        /// The matching rows changed; `ids` is the new full list in order.
        case results(ids: [UUID])
        /// Loading started or ended, or failed.
        case state(LoadState)
    }

    public enum LoadState: Sendable, Equatable {
        case loading
        case loaded
        case failed(String)
    }

    public private(set) var query = ""
    public private(set) var resultIDs: [UUID] = []
    public private(set) var totalCount = 0
    public private(set) var state: LoadState = .loading
    public var onChange: (@MainActor (Change) -> Void)?

    private let directory: PatientDirectory
    private var summaries: [UUID: PatientSummary] = [:]
    private var generation = 0
    /// Rows fetched together when the list binds one that is not cached yet.
    private let prefetchWindow = 64

    public init(directory: PatientDirectory) {
        self.directory = directory
    }

    /// Runs `text` as the new query. Safe to call on every keystroke.
    public func search(_ text: String) async {
        generation += 1
        let myGeneration = generation
        query = text
        setState(.loading)
        let directory = self.directory
        let outcome = await Task.detached(priority: .userInitiated) { () -> Result<([UUID], Int), any Error> in
            Result { (try directory.search(text), try directory.count()) }
        }.value
        guard myGeneration == generation else { return }  // a newer query owns the list now
        switch outcome {
        case .success(let (ids, total)):
            resultIDs = ids
            totalCount = total
            let listed = Set(ids)
            summaries = summaries.filter { listed.contains($0.key) }
            onChange?(.results(ids: ids))
            setState(.loaded)
        case .failure(let error):
            setState(.failed("The patient list could not be read: \(error)"))
        }
    }

    /// The summary of a listed patient, fetched with its neighbours on first use.
    public func summary(for id: UUID) -> PatientSummary? {
        if let cached = summaries[id] { return cached }
        guard let position = resultIDs.firstIndex(of: id) else { return nil }
        let window = Array(resultIDs[position..<min(resultIDs.count, position + prefetchWindow)])
        if let fetched = try? directory.summaries(ids: window) {
            for summary in fetched { summaries[summary.id] = summary }
        }
        return summaries[id]
    }

    /// What the count line under the search entry says.
    public var countText: String {
        switch state {
        case .failed: return ""
        case .loading where resultIDs.isEmpty: return "Loading patients…"
        default: break
        }
        if query.trimmingCharacters(in: .whitespaces).isEmpty {
            return resultIDs.count == 1 ? "1 patient" : "\(resultIDs.count.formatted()) patients"
        }
        return resultIDs.count == 1 ? "1 of \(totalCount.formatted()) patients matches"
            : "\(resultIDs.count.formatted()) of \(totalCount.formatted()) patients match"
    }

    /// What the list area says when it has no rows, or nil when it has rows.
    public var emptyMessage: (title: String, detail: String)? {
        guard resultIDs.isEmpty, state != .loading else { return nil }
        if case .failed(let message) = state { return ("Patients cannot be shown", message) }
        if totalCount == 0 {
            return ("No patients yet", "Patients appear here after the first sync with the server or an import from the HIS.")
        }
        return ("No patient matches “\(query)”", "Search by name, pinyin (zhangsan or zs), MRN, bed or phone number.")
    }

    private func setState(_ newState: LoadState) {
        guard state != newState else { return }
        state = newState
        onChange?(.state(newState))
    }
}
