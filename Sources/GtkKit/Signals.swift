import CGtk

/// A Swift closure connected to a GObject signal.
///
/// The closure lives in a retained box handed to GLib with a destroy notify, so GLib
/// releases it when the handler is disconnected or the object dies — never earlier.
/// Capture `[weak self]` in handlers that belong to a widget controller.
///
/// ```swift
/// Signal.connect(button, "clicked") { [weak self] in self?.save() }
/// ```
@MainActor
public enum Signal {
    public typealias HandlerID = UInt

    /// A signal whose C signature is `void (*)(GObject *self, gpointer user_data)`.
    @discardableResult
    public static func connect(
        _ instance: UnsafeMutableRawPointer, _ name: String, _ handler: @escaping @MainActor () -> Void
    ) -> HandlerID {
        attach(instance, name, box: HandlerBox(handler), trampoline: unsafeBitCast(noArgumentTrampoline, to: GCallback.self))
    }

    /// A signal whose C signature is `void (*)(GObject *self, gpointer arg, gpointer user_data)`:
    /// list item factory `setup`/`bind`, `activate` of a GSimpleAction (GVariant parameter)…
    @discardableResult
    public static func connect(
        _ instance: UnsafeMutableRawPointer, _ name: String,
        _ handler: @escaping @MainActor (UnsafeMutableRawPointer?) -> Void
    ) -> HandlerID {
        attach(instance, name, box: HandlerBox(handler), trampoline: unsafeBitCast(pointerArgumentTrampoline, to: GCallback.self))
    }

    /// A signal with one unsigned argument: `GtkListView::activate (guint position)`.
    @discardableResult
    public static func connect(
        _ instance: UnsafeMutableRawPointer, _ name: String, _ handler: @escaping @MainActor (UInt32) -> Void
    ) -> HandlerID {
        attach(instance, name, box: HandlerBox(handler), trampoline: unsafeBitCast(unsignedArgumentTrampoline, to: GCallback.self))
    }

    /// A signal that returns a boolean: `GtkWindow::close-request`.
    @discardableResult
    public static func connectReturningBool(
        _ instance: UnsafeMutableRawPointer, _ name: String, _ handler: @escaping @MainActor () -> Bool
    ) -> HandlerID {
        attach(instance, name, box: HandlerBox(handler), trampoline: unsafeBitCast(boolReturningTrampoline, to: GCallback.self))
    }

    public static func disconnect(_ instance: UnsafeMutableRawPointer, _ id: HandlerID) {
        g_signal_handler_disconnect(instance.as(GObject.self), gulong(id))
    }

    private static func attach<T>(
        _ instance: UnsafeMutableRawPointer, _ name: String, box: HandlerBox<T>, trampoline: GCallback
    ) -> HandlerID {
        let userData = Unmanaged.passRetained(box).toOpaque()
        let id = g_signal_connect_data(instance, name, trampoline, userData, releaseBox, GConnectFlags(rawValue: 0))
        precondition(id != 0, "no signal '\(name)' on \(String(cString: g_type_name(hw_object_type(instance))))")
        return HandlerID(id)
    }
}

/// The retained box that carries a handler across the C boundary.
final class HandlerBox<T> {
    let handler: T
    init(_ handler: T) { self.handler = handler }
}

// MARK: - C trampolines (one per C signature; user_data is always last)

private let releaseBox: GClosureNotify = { userData, _ in
    guard let userData else { return }
    Unmanaged<AnyObject>.fromOpaque(userData).release()
}

private let noArgumentTrampoline: @convention(c) (gpointer?, gpointer?) -> Void = { _, userData in
    nonisolated(unsafe) let userData = userData
    MainActor.assumeIsolated {
        Unmanaged<HandlerBox<@MainActor () -> Void>>.fromOpaque(userData!).takeUnretainedValue().handler()
    }
}

private let pointerArgumentTrampoline: @convention(c) (gpointer?, gpointer?, gpointer?) -> Void = { _, argument, userData in
    nonisolated(unsafe) let argument = argument
    nonisolated(unsafe) let userData = userData
    MainActor.assumeIsolated {
        Unmanaged<HandlerBox<@MainActor (UnsafeMutableRawPointer?) -> Void>>.fromOpaque(userData!)
            .takeUnretainedValue().handler(argument)
    }
}

private let unsignedArgumentTrampoline: @convention(c) (gpointer?, guint, gpointer?) -> Void = { _, value, userData in
    nonisolated(unsafe) let userData = userData
    MainActor.assumeIsolated {
        Unmanaged<HandlerBox<@MainActor (UInt32) -> Void>>.fromOpaque(userData!).takeUnretainedValue().handler(value)
    }
}

private let boolReturningTrampoline: @convention(c) (gpointer?, gpointer?) -> gboolean = { _, userData in
    nonisolated(unsafe) let userData = userData
    return MainActor.assumeIsolated {
        Unmanaged<HandlerBox<@MainActor () -> Bool>>.fromOpaque(userData!).takeUnretainedValue().handler() ? 1 : 0
    }
}
