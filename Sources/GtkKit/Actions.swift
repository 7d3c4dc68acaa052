import CGtk

/// A window's actions as a typed enum: each case is a `win.<rawValue>` action that
/// menus, buttons (`action-name`) and keyboard shortcuts refer to.
///
/// ```swift
/// enum MainWindowAction: String, WindowAction {
///     case focusSearch = "focus-search"
///     var shortcuts: [String] { ["<Control>f"] }
/// }
/// ```
public protocol WindowAction: RawRepresentable, CaseIterable, Sendable where RawValue == String {
    /// Accelerators in `gtk_accelerator_parse` syntax.
    var shortcuts: [String] { get }
}

extension WindowAction {
    /// The detailed name used in `.ui` files and accelerators.
    public var detailedName: String { "win.\(rawValue)" }
}

/// Installs a `WindowAction` enum on a `GtkApplicationWindow` and routes activations.
@MainActor
public final class ActionGroup<Action: WindowAction> {
    private var actions: [String: ObjectRef] = [:]

    /// Adds every case of `Action` to `window` and registers its shortcuts with `application`.
    public init(
        window: UnsafeMutableRawPointer,
        application: UnsafeMutableRawPointer,
        handler: @escaping @MainActor (Action) -> Void
    ) {
        for action in Action.allCases {
            let simple = ObjectRef(adopting: g_simple_action_new(action.rawValue, nil).raw)
            Signal.connect(simple.pointer, "activate") { (_: UnsafeMutableRawPointer?) in handler(action) }
            g_action_map_add_action(window.opaque, simple.pointer.opaque)
            actions[action.rawValue] = simple
            if !action.shortcuts.isEmpty {
                withCStrings(action.shortcuts) { accels in
                    gtk_application_set_accels_for_action(application.as(GtkApplication.self), action.detailedName, accels)
                }
            }
        }
    }

    /// Greys out an action (and every button bound to it).
    public func setEnabled(_ action: Action, _ enabled: Bool) {
        guard let simple = actions[action.rawValue] else { return }
        g_simple_action_set_enabled(simple.pointer.opaque, enabled ? 1 : 0)
    }
}

/// Calls `body` with a NULL-terminated C string array.
func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let duplicated = strings.map { UnsafePointer(strdup($0)) }
    defer { duplicated.forEach { free(UnsafeMutableRawPointer(mutating: $0)) } }
    return (duplicated + [nil]).withUnsafeBufferPointer { body($0.baseAddress!) }
}
