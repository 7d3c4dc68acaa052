import AppFeatures
import CGtk
import ClientStore
import Foundation
import GtkKit

/// The virtualized patient list: a GtkListView over a ``RowIDListModel`` of patient ids.
/// GTK builds a row widget only for the visible slots (patient-row.ui) and rebinds it as
/// the list scrolls; `bind` looks the patient up by id in the view model.
@MainActor
final class PatientListView {
    var onSelect: (@MainActor (UUID?) -> Void)?

    private let listView: UnsafeMutableRawPointer
    private let rows = RowIDListModel()
    private let selection: ObjectRef
    private let factory: ObjectRef
    private let resources: ResourceDirectory
    private let model: PatientListModel?
    /// The labels of each row widget, by the GtkListItem that owns it.
    private var rowWidgets: [UnsafeMutableRawPointer: RowWidgets] = [:]

    private struct RowWidgets {
        let name: UnsafeMutableRawPointer
        let romanized: UnsafeMutableRawPointer
        let bed: UnsafeMutableRawPointer
        let detail: UnsafeMutableRawPointer
    }

    init(listView: UnsafeMutableRawPointer, resources: ResourceDirectory, model: PatientListModel?) throws {
        self.listView = listView
        self.resources = resources
        self.model = model
        selection = ObjectRef(adopting: gtk_single_selection_new(rows.retainedPointer.opaque).raw)
        gtk_single_selection_set_autoselect(selection.pointer.opaque, 0)
        gtk_single_selection_set_can_unselect(selection.pointer.opaque, 1)
        factory = ObjectRef(adopting: gtk_signal_list_item_factory_new().raw)

        Signal.connect(factory.pointer, "setup") { [weak self] (item: UnsafeMutableRawPointer?) in
            guard let self, let item else { return }
            setUp(item)
        }
        Signal.connect(factory.pointer, "bind") { [weak self] (item: UnsafeMutableRawPointer?) in
            guard let self, let item else { return }
            bind(item)
        }
        Signal.connect(factory.pointer, "teardown") { [weak self] (item: UnsafeMutableRawPointer?) in
            guard let self, let item else { return }
            rowWidgets[item] = nil
        }
        Signal.connect(selection.pointer, "notify::selected") { [weak self] (_: UnsafeMutableRawPointer?) in
            guard let self else { return }
            onSelect?(selectedID)
        }
        gtk_list_view_set_factory(listView.opaque, factory.pointer.opaque)
        g_object_ref(selection.pointer)  // gtk_list_view_set_model does not take ours
        gtk_list_view_set_model(listView.opaque, selection.pointer.opaque)
        g_object_unref(selection.pointer)
    }

    /// Shows `ids` with one minimal splice; the selection stays on its patient if still listed.
    func show(_ ids: [UUID]) {
        let previous = selectedID
        rows.replaceAll(with: ids.map(\.uuidString))
        if let previous, let position = ids.firstIndex(of: previous) {
            gtk_single_selection_set_selected(selection.pointer.opaque, guint(position))
        }
    }

    var selectedID: UUID? {
        let position = gtk_single_selection_get_selected(selection.pointer.opaque)
        guard position != GTK_INVALID_LIST_POSITION, let id = rows.id(at: Int(position)) else { return nil }
        return UUID(uuidString: id)
    }

    func selectFirstIfNone() {
        guard selectedID == nil, rows.count > 0 else { return }
        select(position: 0)
    }

    func moveSelection(by offset: Int) {
        guard rows.count > 0 else { return }
        let current = gtk_single_selection_get_selected(selection.pointer.opaque)
        let start = current == GTK_INVALID_LIST_POSITION ? (offset > 0 ? -1 : rows.count) : Int(current)
        select(position: min(max(start + offset, 0), rows.count - 1))
    }

    private func select(position: Int) {
        gtk_single_selection_set_selected(selection.pointer.opaque, guint(position))
        // GTK 4.8 has no gtk_list_view_scroll_to: the list's own action scrolls.
        gtk_widget_activate_action_variant(
            listView.as(GtkWidget.self), "list.scroll-to-item", g_variant_new_uint32(guint32(position)))
    }

    // MARK: - Factory

    private func setUp(_ item: UnsafeMutableRawPointer) {
        guard let row = try? UIDefinition(file: resources.ui("patient-row.ui")),
              let box = try? row.object("patient_row") else { return }
        gtk_list_item_set_child(item.opaque, box.as(GtkWidget.self))
        rowWidgets[item] = RowWidgets(
            name: try! row.object("row_name"), romanized: try! row.object("row_romanized"),
            bed: try! row.object("row_bed"), detail: try! row.object("row_detail"))
    }

    private func bind(_ item: UnsafeMutableRawPointer) {
        guard let widgets = rowWidgets[item], let object = gtk_list_item_get_item(item.opaque),
              let rowID = RowIDListModel.rowID(ofItem: UnsafeMutableRawPointer(object)),
              let id = UUID(uuidString: rowID), let summary = model?.summary(for: id)
        else { return }
        gtk_label_set_text(widgets.name.opaque, summary.displayName)
        gtk_label_set_text(widgets.romanized.opaque, summary.secondaryName ?? "")
        gtk_label_set_text(widgets.bed.opaque, summary.bed.map { "Bed \($0)" } ?? "")
        var detail = ["MRN \(summary.mrn)", summary.wardName ?? summary.wardID]
        if let discharged = summary.lastDischargedOn { detail.append("discharged \(discharged)") }
        if let diagnosis = summary.principalDiagnosis { detail.append(diagnosis) }
        gtk_label_set_text(widgets.detail.opaque, detail.joined(separator: " · "))
    }
}
