import CGtk

/// A `GListModel` of stable row ids, implemented in Swift and changed with `splice`.
///
/// Items are created lazily: GTK asks for the handful of rows it shows, and each is a
/// `GtkStringObject` holding the row id. A list item factory's `bind` reads that id and
/// looks the row's state up in the view model, so a 100k-row list never builds 100k
/// objects or widgets up front.
///
/// ```swift
/// let model = RowIDListModel()
/// model.replaceAll(with: patients.map(\.id.uuidString))   // one minimal splice
/// gtk_single_selection_new(model.retainedPointer.opaque)
/// ```
@MainActor
public final class RowIDListModel {
    /// The GObject (implements `GListModel`); owned by this wrapper.
    public let object: ObjectRef
    private let storage: RowStorage

    public init() {
        let instance = g_object_new_with_properties(RowIDListModel.gType, 0, nil, nil)!
        storage = RowStorage()
        RowIDListModel.setStorage(storage, on: instance)
        object = ObjectRef(adopting: instance)
    }

    /// A new reference for C functions that take ownership of the model
    /// (`gtk_single_selection_new` is transfer full).
    public var retainedPointer: UnsafeMutableRawPointer {
        g_object_ref(object.pointer)
        return object.pointer
    }

    public var count: Int { storage.ids.count }
    public var ids: [String] { storage.ids }

    public func id(at position: Int) -> String? {
        storage.ids.indices.contains(position) ? storage.ids[position] : nil
    }

    /// Replaces `removing` rows at `position` with `inserting`, and tells GTK once.
    public func splice(at position: Int, removing: Int, inserting: [String]) {
        precondition(position >= 0 && position + removing <= storage.ids.count, "splice out of range")
        storage.ids.replaceSubrange(position..<(position + removing), with: inserting)
        g_list_model_items_changed(object.pointer.opaque, guint(position), guint(removing), guint(inserting.count))
    }

    /// Turns the current rows into `newIDs` with one splice covering only the part that
    /// differs (common prefix and suffix are kept), so selection and scroll position of
    /// unchanged rows survive.
    public func replaceAll(with newIDs: [String]) {
        let old = storage.ids
        var prefix = 0
        while prefix < old.count, prefix < newIDs.count, old[prefix] == newIDs[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < old.count - prefix, suffix < newIDs.count - prefix,
              old[old.count - 1 - suffix] == newIDs[newIDs.count - 1 - suffix] { suffix += 1 }
        let removing = old.count - prefix - suffix
        let inserting = Array(newIDs[prefix..<(newIDs.count - suffix)])
        if removing == 0 && inserting.isEmpty { return }
        splice(at: prefix, removing: removing, inserting: inserting)
    }

    /// The row id carried by an item this model produced.
    public static func rowID(ofItem item: UnsafeMutableRawPointer) -> String? {
        guard let text = gtk_string_object_get_string(item.opaque) else { return nil }
        return String(cString: text)
    }

    // MARK: - GType registration

    /// Instance layout: the GObject header followed by one pointer to the Swift storage.
    private static let storageOffset = MemoryLayout<GObject>.stride

    private static func setStorage(_ storage: RowStorage, on instance: UnsafeMutableRawPointer) {
        let slot = (instance + storageOffset).assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
        slot.pointee = Unmanaged.passRetained(storage).toOpaque()
    }

    fileprivate nonisolated static func storage(of instance: UnsafeMutableRawPointer) -> RowStorage? {
        let slot = (instance + MemoryLayout<GObject>.stride).assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
        guard let pointer = slot.pointee else { return nil }
        return Unmanaged<RowStorage>.fromOpaque(pointer).takeUnretainedValue()
    }

    static let gType: GType = {
        var info = GTypeInfo()
        info.class_size = guint16(MemoryLayout<GObjectClass>.stride)
        info.class_init = { klass, _ in
            klass!.assumingMemoryBound(to: GObjectClass.self).pointee.finalize = { object in
                let instance = UnsafeMutableRawPointer(object!)
                let slot = (instance + MemoryLayout<GObject>.stride).assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
                if let pointer = slot.pointee {
                    Unmanaged<RowStorage>.fromOpaque(pointer).release()
                    slot.pointee = nil
                }
                let parent = g_type_class_peek(g_object_get_type())!.assumingMemoryBound(to: GObjectClass.self)
                parent.pointee.finalize(object)
            }
        }
        info.instance_size = guint16(MemoryLayout<GObject>.stride + MemoryLayout<UnsafeMutableRawPointer>.stride)
        let type = g_type_register_static(g_object_get_type(), "HomewardRowIDListModel", &info, GTypeFlags(rawValue: 0))

        var interface = GInterfaceInfo()
        interface.interface_init = { iface, _ in
            let vtable = iface!.assumingMemoryBound(to: GListModelInterface.self)
            vtable.pointee.get_item_type = { _ in gtk_string_object_get_type() }
            vtable.pointee.get_n_items = { model in
                guint(RowIDListModel.storage(of: UnsafeMutableRawPointer(model!))?.ids.count ?? 0)
            }
            vtable.pointee.get_item = { model, position in
                guard let rows = RowIDListModel.storage(of: UnsafeMutableRawPointer(model!)),
                      Int(position) < rows.ids.count else { return nil }
                return UnsafeMutableRawPointer(gtk_string_object_new(rows.ids[Int(position)]))
            }
        }
        g_type_add_interface_static(type, g_list_model_get_type(), &interface)
        return type
    }()
}

/// The rows behind one model instance. Only touched on the main thread: the GListModel
/// vtable is called by GTK from the main loop, and the Swift side is `@MainActor`.
final class RowStorage: @unchecked Sendable {
    var ids: [String] = []
}
