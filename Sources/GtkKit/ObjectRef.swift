import CGtk

// MARK: - Pointer casts

/// GTK types with public structs import as typed pointers, final ones as `OpaquePointer`.
/// GtkKit keeps raw pointers and casts at the call site with these two helpers.
extension UnsafeMutableRawPointer {
    /// The pointer as a typed C struct pointer (`GtkWidget *`, `GObject *`…).
    @inlinable public func `as`<T>(_: T.Type = T.self) -> UnsafeMutablePointer<T> {
        assumingMemoryBound(to: T.self)
    }

    /// The pointer as an opaque C pointer (`GtkLabel *`, `GListModel *`…).
    @inlinable public var opaque: OpaquePointer { OpaquePointer(self) }
}

extension UnsafeMutablePointer {
    @inlinable public var raw: UnsafeMutableRawPointer { UnsafeMutableRawPointer(self) }
}

extension OpaquePointer {
    @inlinable public var raw: UnsafeMutableRawPointer { UnsafeMutableRawPointer(self) }
}

// MARK: - Ownership

/// Owns one reference to a GObject and drops it in `deinit`.
///
/// GTK hands out objects three ways, and each needs its own constructor:
/// - a floating reference (most new widgets): ``init(sinking:)`` takes it with `g_object_ref_sink`;
/// - a full reference the caller owns (`gtk_builder_new`, `g_simple_action_new`…): ``init(adopting:)``;
/// - a borrowed pointer someone else owns (`gtk_builder_get_object`): ``init(retaining:)`` adds a ref.
///
/// ```swift
/// let builder = ObjectRef(adopting: gtk_builder_new().raw)
/// ```
///
/// Not `Sendable`: a GObject stays on the main thread with the rest of GTK.
@MainActor
public final class ObjectRef {
    public let pointer: UnsafeMutableRawPointer

    public init(sinking pointer: UnsafeMutableRawPointer) {
        g_object_ref_sink(pointer)
        self.pointer = pointer
    }

    public init(adopting pointer: UnsafeMutableRawPointer) {
        self.pointer = pointer
    }

    public init(retaining pointer: UnsafeMutableRawPointer) {
        g_object_ref(pointer)
        self.pointer = pointer
    }

    isolated deinit {
        g_object_unref(pointer)
    }

    /// The GType name, for error messages.
    public var typeName: String {
        String(cString: g_type_name(hw_object_type(pointer)))
    }
}
