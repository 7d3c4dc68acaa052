import AppFeatures
import CGtk
import GtkKit

/// The selected patient's summary: name, identifiers, then labelled lines in a grid.
@MainActor
final class PatientDetailView {
    private let name: UnsafeMutableRawPointer
    private let subtitle: UnsafeMutableRawPointer
    private let grid: UnsafeMutableRawPointer

    init(ui: UIDefinition) throws {
        name = try ui.object("detail_name")
        subtitle = try ui.object("detail_subtitle")
        grid = try ui.object("detail_grid")
    }

    func showNothingSelected() {
        gtk_label_set_text(name.opaque, "No patient selected")
        gtk_label_set_text(subtitle.opaque, "Choose a patient from the list to see the archive.")
        clearGrid()
    }

    /// Nothing can be shown because the database could not be opened.
    func showUnavailable() {
        gtk_label_set_text(name.opaque, "")
        gtk_label_set_text(subtitle.opaque, "")
        clearGrid()
    }

    func show(_ detail: PatientDetail) {
        gtk_label_set_text(name.opaque, detail.title)
        gtk_label_set_text(subtitle.opaque, detail.subtitle)
        clearGrid()
        for (row, line) in detail.lines.enumerated() {
            let label = gtk_label_new(line.label)!
            gtk_label_set_xalign(OpaquePointer(label), 0)
            gtk_label_set_yalign(OpaquePointer(label), 0)
            gtk_widget_add_css_class(label, "field-name")
            let value = gtk_label_new(line.value)!
            gtk_label_set_xalign(OpaquePointer(value), 0)
            gtk_label_set_wrap(OpaquePointer(value), 1)
            gtk_label_set_selectable(OpaquePointer(value), 1)
            gtk_widget_set_hexpand(value, 1)
            gtk_grid_attach(grid.as(GtkGrid.self), label, 0, Int32(row), 1, 1)
            gtk_grid_attach(grid.as(GtkGrid.self), value, 1, Int32(row), 1, 1)
        }
    }

    private func clearGrid() {
        while let child = gtk_widget_get_first_child(grid.as(GtkWidget.self)) {
            gtk_grid_remove(grid.as(GtkGrid.self), child)
        }
    }
}
