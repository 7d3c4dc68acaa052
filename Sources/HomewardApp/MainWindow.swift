import AppFeatures
import CareModel
import CGtk
import ClientStore
import Foundation
import GtkKit

/// The main window's actions (`win.*`), used by buttons and keyboard shortcuts.
enum MainWindowAction: String, WindowAction {
    case focusSearch = "focus-search"
    case nextPatient = "next-patient"
    case previousPatient = "previous-patient"
    case close = "close"

    var shortcuts: [String] {
        switch self {
        case .focusSearch: ["<Control>f"]
        case .nextPatient: ["<Control>Down", "<Control>Page_Down"]
        case .previousPatient: ["<Control>Up", "<Control>Page_Up"]
        case .close: ["<Control>w", "<Control>q"]
        }
    }
}

/// The main window (main-window.ui): header bar with the sync status, the searchable
/// patient list, and the selected patient's summary.
@MainActor
final class MainWindow {
    private let ui: UIDefinition
    private let window: UnsafeMutableRawPointer
    private let searchEntry: UnsafeMutableRawPointer
    private let resultCountLabel: UnsafeMutableRawPointer
    private let listStack: UnsafeMutableRawPointer
    private let emptyTitle: UnsafeMutableRawPointer
    private let emptyDetail: UnsafeMutableRawPointer
    private let emptyIcon: UnsafeMutableRawPointer
    private let syncStatusBox: UnsafeMutableRawPointer
    private let syncStatusIcon: UnsafeMutableRawPointer
    private let syncStatusLabel: UnsafeMutableRawPointer
    private let subtitle: UnsafeMutableRawPointer
    private var actions: ActionGroup<MainWindowAction>?

    private let patientList: PatientListView
    private let detail: PatientDetailView
    private let listModel: PatientListModel?
    private let syncStatus: SyncStatusModel
    private let database: ClientDatabase?
    private var searchTask: Task<Void, Never>?

    init(
        application: UnsafeMutableRawPointer, resources: ResourceDirectory,
        database opened: Result<ClientDatabase, ClientDatabaseError>, syncStatus: SyncStatusModel
    ) throws {
        ui = try UIDefinition(file: resources.ui("main-window.ui"))
        window = try ui.object("main_window")
        searchEntry = try ui.object("search_entry")
        resultCountLabel = try ui.object("result_count_label")
        listStack = try ui.object("list_stack")
        emptyTitle = try ui.object("empty_title")
        emptyDetail = try ui.object("empty_detail")
        emptyIcon = try ui.object("empty_icon")
        syncStatusBox = try ui.object("sync_status_box")
        syncStatusIcon = try ui.object("sync_status_icon")
        syncStatusLabel = try ui.object("sync_status_label")
        subtitle = try ui.object("window_subtitle")
        self.syncStatus = syncStatus

        gtk_window_set_application(window.as(GtkWindow.self), application.as(GtkApplication.self))
        gtk_window_set_icon_name(window.as(GtkWindow.self), HomewardApplication.applicationID)

        switch opened {
        case .success(let database):
            self.database = database
            listModel = PatientListModel(directory: database.patients)
        case .failure:
            self.database = nil
            listModel = nil
        }
        detail = try PatientDetailView(ui: ui)
        patientList = try PatientListView(
            listView: try ui.object("patient_list"), resources: resources, model: listModel)

        labelControls()
        actions = ActionGroup(window: window, application: application) { [weak self] action in
            self?.perform(action)
        }
        bindSearch()
        bindSelection()
        bindSyncStatus()

        if case .failure(let error) = opened {
            showEmpty(title: "Patients cannot be shown", detail: error.description, icon: "dialog-warning-symbolic")
            gtk_widget_set_sensitive(searchEntry.as(GtkWidget.self), 0)
            detail.showUnavailable()
        } else {
            searchTask = Task { [weak self] in await self?.listModel?.search("") }
        }
    }

    func present() {
        gtk_window_present(window.as(GtkWindow.self))
        // A nurse opens the app to find someone: typing goes straight to the search.
        gtk_widget_grab_focus(searchEntry.as(GtkWidget.self))
    }

    // MARK: - Accessibility

    private func labelControls() {
        Accessibility.setLabel(searchEntry, "Search patients")
        Accessibility.setDescription(searchEntry, "Type a name, pinyin or initials, MRN, bed or phone number")
        Accessibility.setLabel(try! ui.object("patient_list"), "Patients")
        Accessibility.setLabel(try! ui.object("search_toggle"), "Search")
        Accessibility.setLabel(syncStatusBox, "Sync status")
        Accessibility.setLabel(try! ui.object("detail_box"), "Patient summary")
    }

    // MARK: - Actions

    private func perform(_ action: MainWindowAction) {
        switch action {
        case .focusSearch:
            gtk_widget_grab_focus(searchEntry.as(GtkWidget.self))
        case .nextPatient:
            patientList.moveSelection(by: 1)
        case .previousPatient:
            patientList.moveSelection(by: -1)
        case .close:
            gtk_window_close(window.as(GtkWindow.self))
        }
    }

    // MARK: - Search and list

    private func bindSearch() {
        Signal.connect(searchEntry, "search-changed") { [weak self] in
            guard let self, let listModel else { return }
            let text = String(cString: gtk_editable_get_text(searchEntry.opaque))
            searchTask = Task { await listModel.search(text) }
        }
        // Enter in the search field opens the first match.
        Signal.connect(searchEntry, "activate") { [weak self] in self?.patientList.selectFirstIfNone() }
        listModel?.onChange = { [weak self] change in
            guard let self, let listModel else { return }
            if case .results(let ids) = change { patientList.show(ids) }
            gtk_label_set_text(resultCountLabel.opaque, listModel.countText)
            if let empty = listModel.emptyMessage {
                let failed = if case .failed = listModel.state { true } else { false }
                showEmpty(title: empty.title, detail: empty.detail,
                          icon: failed ? "dialog-warning-symbolic" : "system-search-symbolic")
            } else if listModel.state != .loading || !listModel.resultIDs.isEmpty {
                gtk_stack_set_visible_child_name(listStack.opaque, "list")
            }
            if listModel.state == .loaded {
                let total = listModel.totalCount
                gtk_label_set_text(subtitle.opaque, total == 1 ? "1 patient on this device" : "\(total.formatted()) patients on this device")
            }
        }
    }

    private func showEmpty(title: String, detail: String, icon: String = "system-search-symbolic") {
        gtk_image_set_from_icon_name(emptyIcon.opaque, icon)
        gtk_label_set_text(emptyTitle.opaque, title)
        gtk_label_set_text(emptyDetail.opaque, detail)
        gtk_stack_set_visible_child_name(listStack.opaque, "empty")
    }

    private func bindSelection() {
        patientList.onSelect = { [weak self] id in
            guard let self else { return }
            guard let id, let database else {
                detail.showNothingSelected()
                return
            }
            let patients = database.patients
            Task { [weak self] in
                let loaded = await Task.detached { () -> (Patient?, [Ward]) in
                    ((try? patients.patient(id: id)) ?? nil, (try? patients.wards()) ?? [])
                }.value
                guard let self, let patient = loaded.0 else { return }
                let wardName = loaded.1.first { $0.id == patient.wardID }?.name
                detail.show(PatientDetail(patient: patient, wardName: wardName, today: CalendarDate(Date(), in: .current)))
            }
        }
        detail.showNothingSelected()
    }

    // MARK: - Sync status

    private func bindSyncStatus() {
        syncStatus.onChange = { [weak self] status in
            self?.renderSyncStatus()
            // New records arrived: show them (the list keeps its query and selection).
            if case .engine(let engineStatus) = status, case .idle = engineStatus.phase, let self, let listModel {
                searchTask = Task { await listModel.search(listModel.query) }
            }
        }
        renderSyncStatus()
        syncStatus.start()
        // When the network comes back, sync at once instead of waiting out the backoff.
        if let monitor = g_network_monitor_get_default() {
            Signal.connect(UnsafeMutableRawPointer(monitor), "network-changed") { [weak self] (available: UInt32) in
                if available != 0 { self?.syncStatus.syncNow() }
            }
        }
        Signal.connectReturningBool(window, "close-request") { [weak self] in
            self?.syncStatus.stop()
            return false
        }
    }

    private func renderSyncStatus() {
        gtk_label_set_text(syncStatusLabel.opaque, syncStatus.text)
        gtk_widget_set_tooltip_text(syncStatusBox.as(GtkWidget.self), syncStatus.detail)
        let (icon, style): (String, String) = switch syncStatus.tone {
        case .good: ("emblem-ok-symbolic", "online")
        case .busy: ("emblem-synchronizing-symbolic", "online")
        case .warning: ("network-offline-symbolic", "offline")
        case .neutral: ("network-idle-symbolic", "neutral")
        }
        gtk_image_set_from_icon_name(syncStatusIcon.opaque, icon)
        for name in ["online", "offline", "neutral"] where name != style {
            gtk_widget_remove_css_class(syncStatusBox.as(GtkWidget.self), name)
        }
        gtk_widget_add_css_class(syncStatusBox.as(GtkWidget.self), style)
    }
}
