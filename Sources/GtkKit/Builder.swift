import CGtk
import Foundation

/// Loads GtkBuilder `.ui` files from the app's data directory and hands out the
/// objects they declare.
///
/// ```swift
/// let ui = try UIDefinition(file: resources.ui("main-window.ui"))
/// let entry = try ui.object("search_entry")
/// ```
@MainActor
public final class UIDefinition {
    private let builder: ObjectRef
    public let path: String

    public struct LoadError: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "cannot load the interface \(path): \(reason)" }
    }

    public init(file path: String) throws {
        self.path = path
        builder = ObjectRef(adopting: gtk_builder_new().raw)
        var error: UnsafeMutablePointer<GError>?
        if gtk_builder_add_from_file(builder.pointer.opaque, path, &error) == 0 {
            let reason = error.map { String(cString: $0.pointee.message) } ?? "unknown error"
            if let error { g_error_free(error) }
            throw LoadError(path: path, reason: reason)
        }
    }

    /// An object the builder owns (borrowed: keep it alive through its parent or a ref).
    public func object(_ id: String) throws -> UnsafeMutableRawPointer {
        guard let object = gtk_builder_get_object(builder.pointer.opaque, id) else {
            throw LoadError(path: path, reason: "no object with id '\(id)'")
        }
        return UnsafeMutableRawPointer(object)
    }
}

/// Where the app's data files (UI definitions, CSS, icons, translations) live.
///
/// Looked up in this order: `$HOMEWARD_RESOURCES`; `<prefix>/share/homeward` next to an
/// installed binary; the source tree's `Resources/` above a development build.
public struct ResourceDirectory: Sendable {
    public let root: String

    public init(root: String) { self.root = root }

    public static func locate(executable: String = CommandLine.arguments[0]) throws -> ResourceDirectory {
        let marker = "ui/main-window.ui"
        var candidates: [String] = []
        if let explicit = ProcessInfo.processInfo.environment["HOMEWARD_RESOURCES"] { candidates.append(explicit) }
        let exe = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        candidates.append(exe.deletingLastPathComponent().appendingPathComponent("share/homeward").path)
        var directory = exe
        for _ in 0..<6 {
            candidates.append(directory.appendingPathComponent("Resources").path)
            directory = directory.deletingLastPathComponent()
        }
        for candidate in candidates where FileManager.default.fileExists(atPath: candidate + "/" + marker) {
            return ResourceDirectory(root: candidate)
        }
        throw UIDefinition.LoadError(
            path: marker,
            reason: "the Homeward data files were not found (looked in \(candidates.joined(separator: ", "))); set HOMEWARD_RESOURCES")
    }

    public func ui(_ name: String) -> String { root + "/ui/" + name }
    public func file(_ relative: String) -> String { root + "/" + relative }
}

/// Application-wide style sheet.
@MainActor
public enum StyleSheet {
    public static func load(path: String) {
        let provider = ObjectRef(adopting: gtk_css_provider_new().raw)
        gtk_css_provider_load_from_path(provider.pointer.as(GtkCssProvider.self), path)
        gtk_style_context_add_provider_for_display(
            gdk_display_get_default(), provider.pointer.opaque, guint(GTK_STYLE_PROVIDER_PRIORITY_APPLICATION))
    }
}

/// Accessible names and descriptions, for screen readers and AT-SPI tests.
@MainActor
public enum Accessibility {
    public static func setLabel(_ widget: UnsafeMutableRawPointer, _ label: String) {
        hw_accessible_set_label(widget.opaque, label)
    }

    public static func setDescription(_ widget: UnsafeMutableRawPointer, _ text: String) {
        hw_accessible_set_description(widget.opaque, text)
    }
}
